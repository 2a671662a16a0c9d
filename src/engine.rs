//! The parallel engine: splits inputs into newline-aligned chunks, turns their lines into records
//! on rayon workers, feeds each worker's accumulator, and merges the workers at the end.
//!
//! Plain files are read in chunks of a few MiB, each mapped into memory while it is read and
//! unmapped after ([`crate::mapped`], guarded against truncation), or read by offset (`pread`)
//! where mapping is not possible. Either way memory stays bounded by chunk size × threads
//! whatever the file size. Streams (stdin, gzip, zstd) are read and decompressed on their own
//! thread and handed to the workers chunk by chunk. Every line is accounted for: blank, skipped with a reason, or a
//! record (which a filter may then set aside).
//!
//! A chunk is cut into lines by [`split_lines`] first, unless the worker's templates read nearly
//! every line of its last chunk: then each line is read by a template up to its newline, and
//! only the lines no template reads are looked for one by one (see `Worker::process`).

use crate::fields::{Extractor, LineReader};
use crate::formats::{pattern::Pattern, LineFormat};
use crate::json_scan::{needs_careful_scan, Captures};
use crate::lines::{split_lines, LineEnd};
use crate::record::{Ranks, Record, Role, SkipReason};
use crate::source::{cannot_read, Compression, Input, Probed};
use crate::stats::widen;
use crate::timefmt::TimeFormat;
use anyhow::{anyhow, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use memchr::{memchr, memrchr};
use rayon::prelude::*;
use std::cell::RefCell;
use std::fs::File;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where a line is: input index, chunk index within that input, 1-based line within the chunk.
/// [`RunStats::line_number`] turns it into the line number within the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineAt {
    pub input: u32,
    pub chunk: u32,
    pub line: u64,
}

/// What a subcommand does with each record. Accumulators merge, so workers can each keep one.
pub trait Accumulate: Send + Sized {
    fn add(&mut self, ex: &Extractor, rec: &Record, at: LineAt);
    fn merge(&mut self, other: Self);
}

/// Decides whether a record takes part in the run (time window, `--where`); records it rejects
/// are counted as filtered.
pub trait RecordFilter: Sync {
    fn keep(&self, ex: &Extractor, rec: &Record) -> bool;

    /// Does it keep every record? (Then the engine does not ask record by record.)
    fn keeps_all(&self) -> bool {
        false
    }
}

/// Keeps every record.
pub struct KeepAll;

impl RecordFilter for KeepAll {
    fn keep(&self, _: &Extractor, _: &Record) -> bool {
        true
    }

    fn keeps_all(&self) -> bool {
        true
    }
}

#[derive(Clone, Debug)]
pub struct EngineConfig {
    pub threads: usize,
    pub strict: bool,
    pub progress: bool,
    pub chunk_size: usize,
    /// Read every input in this format instead of detecting each one's.
    pub input_format: Option<LineFormat>,
    /// `--pattern`: read every input with this regex.
    pub pattern: Option<Arc<Pattern>>,
}

impl EngineConfig {
    /// The reader for an input whose first bytes are `head`.
    fn reader_for(&self, head: &[u8]) -> LineReader {
        let format = match (&self.pattern, self.input_format) {
            (Some(_), _) => LineFormat::Pattern,
            (None, Some(f)) => f,
            (None, None) => crate::formats::detect(head),
        };
        LineReader::new(format, self.pattern.as_ref())
    }
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            threads: 0,
            strict: false,
            progress: false,
            // 4 MiB: a quarter of the maps and unmaps of 1 MiB (each unmap interrupts the other
            // cores to flush their TLBs), 4% less CPU on 1 GiB; files under 8 MiB then use
            // fewer than 2 threads, but take milliseconds.
            chunk_size: 4 << 20,
            input_format: None,
            pattern: None,
        }
    }
}

/// Line accounting for one input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineCounts {
    pub bytes: u64,
    pub lines: u64,
    pub blank: u64,
    pub records: u64,
    pub filtered: u64,
    pub skipped: [u64; SkipReason::COUNT],
}

impl LineCounts {
    pub fn skipped_total(&self) -> u64 {
        self.skipped.iter().sum()
    }

    pub fn merge(&mut self, o: &LineCounts) {
        self.bytes += o.bytes;
        self.lines += o.lines;
        self.blank += o.blank;
        self.records += o.records;
        self.filtered += o.filtered;
        for (a, b) in self.skipped.iter_mut().zip(o.skipped) {
            *a += b;
        }
    }
}

/// One input's report.
#[derive(Clone, Debug)]
pub struct InputReport {
    pub name: String,
    pub format: LineFormat,
    pub compression: Compression,
    pub counts: LineCounts,
}

/// A skipped line, for messages.
#[derive(Clone, Copy, Debug)]
pub struct BadLine {
    pub at: LineAt,
    pub reason: SkipReason,
}

#[derive(Clone, Debug)]
struct ChunkInfo {
    input: u32,
    chunk: u32,
    lines: u64,
    first_bad: Option<BadLine>,
}

/// Everything the engine learnt about the inputs, besides what the accumulator gathered.
#[derive(Clone, Debug)]
pub struct RunStats {
    pub inputs: Vec<InputReport>,
    /// How often each candidate (by rank) supplied each role.
    pub field_hits: Vec<Vec<u64>>,
    pub time_formats: [u64; TimeFormat::ALL.len()],
    /// Time span of all records that had a time (ns since the epoch).
    pub first_time_ns: Option<i64>,
    pub last_time_ns: Option<i64>,
    /// Line offsets: for each input, the number of lines before each chunk.
    line_offsets: Vec<Vec<u64>>,
    /// The first bad line in input order, when there is one.
    pub first_bad: Option<BadLine>,
}

impl RunStats {
    pub fn totals(&self) -> LineCounts {
        let mut t = LineCounts::default();
        for i in &self.inputs {
            t.merge(&i.counts);
        }
        t
    }

    /// The 1-based line number of `at` within its input.
    pub fn line_number(&self, at: LineAt) -> u64 {
        self.line_offsets
            .get(at.input as usize)
            .and_then(|o| o.get(at.chunk as usize))
            .copied()
            .unwrap_or(0)
            + at.line
    }

    /// The candidate used most for `role`, as its rank.
    pub fn dominant_rank(&self, role: Role) -> Option<u8> {
        let hits = &self.field_hits[role as usize];
        let (rank, &n) = hits
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))?;
        (n > 0).then_some(rank as u8)
    }

    pub fn dominant_time_format(&self) -> Option<TimeFormat> {
        let (i, &n) = self
            .time_formats
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))?;
        (n > 0).then_some(TimeFormat::ALL[i])
    }
}

/// Records counted by the ranks of the candidates their fields came from, within one chunk.
/// Records of one file name their fields one way line after line, or alternate between a few
/// ways (an event without latency, then a request with one): each is counted here with a
/// compare or two, and added to `field_hits` (a pass over the roles) once per chunk.
struct RanksSeen {
    seen: [(Ranks, u64); 8],
    len: usize,
    /// Where the last record's ranks are in `seen` (when `len > 0`).
    last: usize,
}

impl Default for RanksSeen {
    fn default() -> Self {
        RanksSeen {
            seen: [(Ranks::none(), 0); 8],
            len: 0,
            last: 0,
        }
    }
}

impl RanksSeen {
    #[inline(always)]
    fn add(&mut self, ranks: Ranks, field_hits: &mut [Vec<u64>]) {
        match self.seen.get_mut(self.last) {
            Some((r, n)) if self.len > 0 && *r == ranks => *n += 1,
            _ => self.add_other(ranks, field_hits),
        }
    }

    #[inline(never)]
    fn add_other(&mut self, ranks: Ranks, field_hits: &mut [Vec<u64>]) {
        if let Some(k) = self.seen[..self.len].iter().position(|s| s.0 == ranks) {
            self.seen[k].1 += 1;
            self.last = k;
            return;
        }
        if self.len == self.seen.len() {
            self.flush(field_hits);
        }
        self.seen[self.len] = (ranks, 1);
        self.last = self.len;
        self.len += 1;
    }

    /// Adds the counts to `field_hits`, and starts again.
    fn flush(&mut self, field_hits: &mut [Vec<u64>]) {
        for &(ranks, n) in &self.seen[..self.len] {
            for (role, hits) in field_hits.iter_mut().enumerate() {
                if let Some(r) = ranks.get(role) {
                    if hits.len() <= r as usize {
                        hits.resize(r as usize + 1, 0);
                    }
                    hits[r as usize] += n;
                }
            }
        }
        self.len = 0;
    }
}

/// Per-worker state.
struct Worker<A> {
    acc: A,
    counts: Vec<LineCounts>,
    field_hits: Vec<Vec<u64>>,
    time_formats: [u64; TimeFormat::ALL.len()],
    first_time_ns: Option<i64>,
    last_time_ns: Option<i64>,
    chunks: Vec<ChunkInfo>,
    caps: Captures,
    /// The current chunk's lines (kept to reuse the allocation).
    line_ends: Vec<LineEnd>,
    /// Read the next chunk's lines with templates before splitting it (see `process`).
    open: bool,
    error: Option<anyhow::Error>,
}

impl<A: Accumulate> Worker<A> {
    fn new(acc: A, inputs: usize, ex: &Extractor) -> Self {
        Worker {
            acc,
            counts: vec![LineCounts::default(); inputs],
            field_hits: vec![Vec::new(); Role::COUNT],
            time_formats: Default::default(),
            first_time_ns: None,
            last_time_ns: None,
            chunks: Vec::new(),
            caps: ex.new_captures(),
            line_ends: Vec::new(),
            open: false,
            error: None,
        }
    }

    fn merge(mut self, o: Self) -> Self {
        self.acc.merge(o.acc);
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            a.merge(b);
        }
        for (a, b) in self.field_hits.iter_mut().zip(&o.field_hits) {
            if a.len() < b.len() {
                a.resize(b.len(), 0);
            }
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        for (a, b) in self.time_formats.iter_mut().zip(o.time_formats) {
            *a += b;
        }
        for t in [o.first_time_ns, o.last_time_ns].into_iter().flatten() {
            self.note_time(t);
        }
        self.chunks.extend(o.chunks);
        if self.error.is_none() {
            self.error = o.error;
        }
        self
    }

    fn note_time(&mut self, ns: i64) {
        widen(&mut self.first_time_ns, &mut self.last_time_ns, ns);
    }

    /// Processes the lines of one chunk (whole lines only).
    fn process(&mut self, job: &Job<'_>, reader: &LineReader, input: u32, chunk: u32, data: &[u8]) {
        self.counts[input as usize].bytes += data.len() as u64;
        let body = if chunk == 0 && data.starts_with(BOM) {
            &data[BOM.len()..]
        } else {
            data
        };
        let mut ends = std::mem::take(&mut self.line_ends);
        ends.clear();
        let hits_before = self.caps.template_hits();
        let (line_no, first_bad) = if self.open {
            self.lines::<true>(job, reader, input, chunk, body, &ends)
        } else {
            split_lines(body, &mut ends);
            self.lines::<false>(job, reader, input, chunk, body, &ends)
        };
        self.line_ends = ends;
        // Lines are read without splitting the chunk first while templates read nearly all
        // of them: the splitter's pass is then work done twice, as a template finds where its
        // line ends. Otherwise each line would be looked for on its own, slower than the splitter.
        let read = self.caps.template_hits() - hits_before;
        self.open = line_no >= OPEN_MIN_LINES && read * 8 >= line_no * 7;
        self.counts[input as usize].lines += line_no;
        PROGRESS_BYTES.fetch_add(data.len() as u64, Ordering::Relaxed);
        self.chunks.push(ChunkInfo {
            input,
            chunk,
            lines: line_no,
            first_bad,
        });
    }

    /// The lines of `body`, a chunk: cut at `ends` (from [`split_lines`]), or, `OPEN`, each
    /// read by a template up to its newline where one reads it (`ends` unused), else found with
    /// `memchr`. The lines' count, and the first bad one.
    #[inline(always)]
    fn lines<const OPEN: bool>(
        &mut self,
        job: &Job<'_>,
        reader: &LineReader,
        input: u32,
        chunk: u32,
        body: &[u8],
        ends: &[LineEnd],
    ) -> (u64, Option<BadLine>) {
        let ex = job.ex;
        let counts = &mut self.counts[input as usize];
        let mut line_no = 0u64;
        let mut first_bad = None;
        let mut start = 0usize;
        let mut ranks_seen = RanksSeen::default();
        let keeps_all = job.filter.keeps_all();
        let mut next_end = 0;
        loop {
            // The line, and the rest of the chunk after it (see `Extractor::extract_in`); empty
            // past a last line without a newline.
            let text = body.get(start..).unwrap_or_default();
            let (end, careful, read) = if OPEN {
                if start >= body.len() {
                    break;
                }
                match ex.extract_open(reader, text, &mut self.caps) {
                    Some(len) => (start + len, false, true),
                    None => {
                        let end = memchr(b'\n', text).map_or(body.len(), |p| start + p);
                        (end, needs_careful_scan(&body[start..end]), false)
                    }
                }
            } else {
                let Some(found) = ends.get(next_end) else {
                    break;
                };
                next_end += 1;
                (found.end(), found.careful(), false)
            };
            let mut line = &body[start..end];
            start = end + 1;
            line_no += 1;
            let mut careful = careful;
            if read {
                // Read up to a `\r\n`: the line ends before the `\r`.
                if body.get(end) == Some(&b'\r') {
                    start += 1;
                }
            } else {
                if let [rest @ .., b'\r'] = line {
                    line = rest;
                    // The `\r` made the whole line look odd; it is not part of the line.
                    careful = careful && needs_careful_scan(line);
                }
                if line.first() != Some(&b'{')
                    && line.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r'))
                {
                    counts.blank += 1;
                    continue;
                }
            }
            let result = if read {
                ex.record(&self.caps, line)
            } else if careful && std::str::from_utf8(line).is_err() {
                Err(SkipReason::InvalidUtf8)
            } else {
                ex.extract_in(reader, text, line.len(), &mut self.caps, careful)
            };
            match &result {
                Err(reason) => {
                    counts.skipped[reason.index()] += 1;
                    if first_bad.is_none() {
                        first_bad = Some(BadLine {
                            at: LineAt {
                                input,
                                chunk,
                                line: line_no,
                            },
                            reason: *reason,
                        });
                        if job.strict {
                            job.note_bad(input, chunk);
                            break;
                        }
                    }
                }
                Ok(rec) => {
                    counts.records += 1;
                    ranks_seen.add(rec.ranks, &mut self.field_hits);
                    if let Some(f) = rec.time_format {
                        self.time_formats[f.index()] += 1;
                    }
                    if !keeps_all && !job.filter.keep(ex, rec) {
                        counts.filtered += 1;
                        continue;
                    }
                    if let Some(t) = rec.time_ns {
                        widen(&mut self.first_time_ns, &mut self.last_time_ns, t);
                    }
                    self.acc.add(
                        ex,
                        rec,
                        LineAt {
                            input,
                            chunk,
                            line: line_no,
                        },
                    );
                }
            }
        }
        ranks_seen.flush(&mut self.field_hits);
        (line_no, first_bad)
    }
}

/// Lines a chunk must have for the next one to be read without splitting it first.
const OPEN_MIN_LINES: u64 = 64;

/// Shared, read-only state of a run.
struct Job<'a> {
    ex: &'a Extractor,
    filter: &'a dyn RecordFilter,
    strict: bool,
    /// In strict mode, the smallest (input, chunk) known to hold a bad line: later chunks can stop.
    bad_key: AtomicU64,
}

impl Job<'_> {
    fn key(input: u32, chunk: u32) -> u64 {
        ((input as u64) << 32) | chunk as u64
    }

    fn note_bad(&self, input: u32, chunk: u32) {
        self.bad_key
            .fetch_min(Self::key(input, chunk), Ordering::Relaxed);
    }

    fn should_skip(&self, input: u32, chunk: u32) -> bool {
        self.strict && Self::key(input, chunk) > self.bad_key.load(Ordering::Relaxed)
    }
}

thread_local! {
    static CHUNK_BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    use std::os::unix::fs::FileExt;
    let mut n = 0;
    while n < buf.len() {
        match file.read_at(&mut buf[n..], offset + n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(not(unix))]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    use std::io::{Seek, SeekFrom};
    let mut f = file;
    f.seek(SeekFrom::Start(offset))?;
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Bytes read past a chunk's end for the line that crosses it; a longer line is read again.
const SLACK: u64 = 8 << 10;

/// Gives `process` the whole lines that start in `[start, end)` of `file`, read through a memory
/// map (see [`crate::mapped`]), as [`read_chunk`] finds them. False when the map cannot do it
/// (mapping not possible, or a last line longer than the slack): then read the chunk with
/// [`read_chunk`]. An error when the file was truncated under the map.
#[cfg(unix)]
fn process_mapped(
    file: &File,
    len: u64,
    start: u64,
    end: u64,
    process: &mut dyn FnMut(&[u8]),
) -> io::Result<bool> {
    let lo = start.saturating_sub(1);
    let hi = (end + SLACK).min(len);
    let Some(map) = crate::mapped::Mapped::new(file, lo, (hi - lo) as usize) else {
        return Ok(false);
    };
    map.read(|buf| {
        let Some((first_start, search_from)) = chunk_lines(buf, start, (end - lo) as usize) else {
            return true;
        };
        let last_end = match memchr(b'\n', &buf[search_from..]) {
            Some(p) => search_from + p + 1,
            None if hi == len => buf.len(),
            None => return false,
        };
        process(&buf[first_start..last_end]);
        true
    })
}

/// Where the lines that start in the chunk `[start, start - 1 + nominal_end)` lie in `buf`, which
/// holds the file from `start - 1` (from 0 for the first chunk): the first line's start, and
/// where the newline that ends the last line is to be looked for (the first one at or after the
/// chunk's last byte). `None` when no line starts in the chunk.
fn chunk_lines(buf: &[u8], start: u64, nominal_end: usize) -> Option<(usize, usize)> {
    let first_start = match start {
        0 => 0,
        _ => memchr(b'\n', &buf[..nominal_end])? + 1,
    };
    (first_start < nominal_end).then(|| (first_start, (nominal_end - 1).max(first_start)))
}

/// Reads the whole lines that start in `[start, end)` of `file` into `buf`, returning their
/// range within `buf`. A line belongs to the chunk in which its first byte lies.
fn read_chunk(
    file: &File,
    len: u64,
    start: u64,
    end: u64,
    buf: &mut Vec<u8>,
) -> io::Result<std::ops::Range<usize>> {
    let lo = start.saturating_sub(1);
    let mut hi = (end + SLACK).min(len);
    // The buffer only grows, so its bytes are zeroed once, not on every chunk.
    let mut filled = read_into(file, buf, 0, lo, (hi - lo) as usize)?;
    let nominal_end = ((end - lo) as usize).min(filled);
    // Checked before reading more, so one giant line is not read by every chunk it spans.
    let Some((first_start, mut search_from)) = chunk_lines(buf, start, nominal_end) else {
        return Ok(0..0);
    };
    loop {
        if let Some(p) = memchr(b'\n', &buf[search_from..filled]) {
            return Ok(first_start..search_from + p + 1);
        }
        let cur = lo + filled as u64;
        if cur >= len || (filled as u64) < hi - lo {
            return Ok(first_start..filled);
        }
        search_from = filled;
        let grow = (hi - lo).max(SLACK);
        hi = (hi + grow).min(len);
        filled += read_into(file, buf, filled, cur, (hi - cur) as usize)?;
    }
}

/// Reads up to `n` bytes at file offset `offset` into `buf[at..]`, growing `buf` if needed.
fn read_into(
    file: &File,
    buf: &mut Vec<u8>,
    at: usize,
    offset: u64,
    n: usize,
) -> io::Result<usize> {
    if buf.len() < at + n {
        buf.resize(at + n, 0);
    }
    read_at(file, &mut buf[at..at + n], offset)
}

enum Probe {
    Plain { len: u64, reader: LineReader },
    Stream,
}

/// Bytes read from the start of a file to detect its format.
const HEAD_BYTES: usize = 64 << 10;

/// Runs the engine over `inputs`, giving each record that passes `filter` to an accumulator
/// made by `new_acc`. Returns the merged accumulator and the run's statistics.
pub fn run<A, F>(
    inputs: &[Input],
    ex: &Extractor,
    filter: &dyn RecordFilter,
    cfg: &EngineConfig,
    new_acc: F,
) -> Result<(A, RunStats)>
where
    A: Accumulate,
    F: Fn() -> A + Sync + Send,
{
    run_flushing(inputs, ex, filter, cfg, new_acc, None)
}

/// Numbers a line: its input's name and its 1-based line number.
pub type LineNamer<'a> = &'a dyn Fn(LineAt) -> (String, u64);

/// Called between batches of chunks with the accumulator so far: every line before the batch
/// boundary has been seen, so ordered output can be written and dropped (`slow --over` in
/// constant memory).
pub type Flush<'f, A> = &'f mut dyn FnMut(&mut A, LineNamer) -> Result<()>;

/// Like [`run`], calling `flush` after each batch of chunks when every input is a plain file
/// (streams are read after the plain files, so their order could not be kept).
pub fn run_flushing<A, F>(
    inputs: &[Input],
    ex: &Extractor,
    filter: &dyn RecordFilter,
    cfg: &EngineConfig,
    new_acc: F,
    mut flush: Option<Flush<'_, A>>,
) -> Result<(A, RunStats)>
where
    A: Accumulate,
    F: Fn() -> A + Sync + Send,
{
    // Probe every input first, so a missing file fails before any work is done.
    let mut probes = Vec::with_capacity(inputs.len());
    let mut total_bytes = 0u64;
    for input in inputs {
        match crate::source::probe(input)? {
            Probed::Plain { len, file } => {
                total_bytes += len;
                let mut head = vec![0u8; HEAD_BYTES.min(len as usize)];
                let n =
                    read_at(&file, &mut head, 0).map_err(|e| cannot_read(input.display(), &e))?;
                head.truncate(n);
                let reader = cfg.reader_for(&head);
                probes.push(Probe::Plain { len, reader });
            }
            Probed::Stream => probes.push(Probe::Stream),
        }
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
        .map_err(|e| anyhow!("cannot start worker threads: {e}"))?;
    let job = Job {
        ex,
        filter,
        strict: cfg.strict,
        bad_key: AtomicU64::new(u64::MAX),
    };
    let all_plain = probes.iter().all(|p| matches!(p, Probe::Plain { .. }));
    let progress = Progress::start(cfg.progress, all_plain.then_some(total_bytes));
    let n_inputs = inputs.len();
    let make = || Worker::new(new_acc(), n_inputs, ex);

    // Plain files: every chunk of every file, in one parallel pass.
    let mut tasks = Vec::new();
    for (i, p) in probes.iter().enumerate() {
        if let Probe::Plain { len, .. } = p {
            let chunks = len.div_ceil(cfg.chunk_size as u64).max(1);
            for c in 0..chunks {
                let s = c * cfg.chunk_size as u64;
                tasks.push((i as u32, c as u32, s, (s + cfg.chunk_size as u64).min(*len)));
            }
        }
    }
    // A single batch unless something wants ordered output flushed as it goes.
    let flushing = flush.is_some() && all_plain;
    let batch_len = if flushing {
        (pool.current_num_threads() * 16).max(1)
    } else {
        tasks.len().max(1)
    };
    let mut merged = make();
    for batch in tasks.chunks(batch_len) {
        let w = pool.install(|| {
            batch
                .par_iter()
                .fold(make, |mut w, &(input, chunk, s, e)| {
                    if w.error.is_some() || job.should_skip(input, chunk) {
                        return w;
                    }
                    let Input::Path(path) = &inputs[input as usize] else {
                        return w;
                    };
                    let Probe::Plain { len, reader } = &probes[input as usize] else {
                        return w;
                    };
                    let len = *len;
                    let result = File::open(path).and_then(|f| {
                        #[cfg(unix)]
                        {
                            let mut process = |body: &[u8]| {
                                w.process(&job, reader, input, chunk, body);
                            };
                            if process_mapped(&f, len, s, e, &mut process)? {
                                return Ok(());
                            }
                        }
                        CHUNK_BUF.with(|b| {
                            let mut buf = b.borrow_mut();
                            let range = read_chunk(&f, len, s, e, &mut buf)?;
                            w.process(&job, reader, input, chunk, &buf[range]);
                            Ok(())
                        })
                    });
                    if let Err(e) = result {
                        w.error = Some(cannot_read(path.display(), &e));
                    }
                    w
                })
                .reduce(make, Worker::merge)
        });
        merged = merged.merge(w);
        if merged.error.is_some() {
            break;
        }
        if let (true, Some(f)) = (flushing, flush.as_mut()) {
            let offsets = line_offsets(&merged.chunks, n_inputs);
            let namer = |at: LineAt| {
                let before = offsets
                    .get(at.input as usize)
                    .and_then(|o| o.get(at.chunk as usize))
                    .copied()
                    .unwrap_or(0);
                (inputs[at.input as usize].display(), before + at.line)
            };
            f(&mut merged.acc, &namer)?;
        }
    }

    // Streams (stdin, gzip, zstd), several at a time, each read and decompressed on its own
    // thread and parsed by the shared workers: rotated `.gz` logs decompress in parallel.
    let streams: Vec<usize> = probes
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p, Probe::Stream))
        .map(|(i, _)| i)
        .collect();
    // Each input's format and compression; a stream's are known once it is opened.
    let mut found: Vec<(LineFormat, Compression)> = probes
        .iter()
        .map(|p| match p {
            Probe::Plain { reader, .. } => (reader.format(), Compression::None),
            Probe::Stream => (LineFormat::Json, Compression::None),
        })
        .collect();
    if merged.error.is_none() && !streams.is_empty() {
        let results: Vec<StreamResult<A>> = pool.install(|| {
            streams
                .par_iter()
                .with_max_len(1)
                .filter(|&&i| !job.should_skip(i as u32, 0))
                .map(|&i| {
                    run_stream(&pool, &job, &inputs[i], i as u32, cfg, &make)
                        .map(|(w, r, c)| (i, w, r, c))
                })
                .collect()
        });
        for r in results {
            let (i, w, reader, compression) = r?;
            found[i] = (reader.format(), compression);
            merged = merged.merge(w);
        }
    }
    progress.finish();
    if let Some(e) = merged.error.take() {
        return Err(e);
    }

    // The first bad line in input order.
    let mut first_bad: Option<BadLine> = None;
    for c in &merged.chunks {
        if let Some(b) = c.first_bad {
            if first_bad.is_none_or(|f| (b.at.input, b.at.chunk) < (f.at.input, f.at.chunk)) {
                first_bad = Some(b);
            }
        }
    }
    let line_offsets = line_offsets(&merged.chunks, n_inputs);
    let stats = RunStats {
        inputs: inputs
            .iter()
            .zip(&merged.counts)
            .zip(found)
            .map(|((input, counts), (format, compression))| InputReport {
                name: input.display(),
                format,
                compression,
                counts: counts.clone(),
            })
            .collect(),
        field_hits: merged.field_hits,
        time_formats: merged.time_formats,
        first_time_ns: merged.first_time_ns,
        last_time_ns: merged.last_time_ns,
        line_offsets,
        first_bad,
    };
    Ok((merged.acc, stats))
}

/// What reading one stream gives: its input index, its worker, its reader and compression.
type StreamResult<A> = Result<(usize, Worker<A>, LineReader, Compression)>;

/// Reads up to `n` bytes, fewer only at the end of the stream.
fn read_full(reader: &mut dyn Read, buf: &mut Vec<u8>, n: usize) -> io::Result<bool> {
    let target = buf.len() + n;
    while buf.len() < target {
        let old = buf.len();
        buf.resize(target, 0);
        match reader.read(&mut buf[old..]) {
            Ok(0) => {
                buf.truncate(old);
                return Ok(true);
            }
            Ok(k) => buf.truncate(old + k),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => buf.truncate(old),
            Err(e) => {
                buf.truncate(old);
                return Err(e);
            }
        }
    }
    Ok(false)
}

/// For each input, the number of lines before each of its chunks (chunks not yet processed
/// count as empty).
fn line_offsets(chunks: &[ChunkInfo], n_inputs: usize) -> Vec<Vec<u64>> {
    let mut counts: Vec<Vec<u64>> = vec![Vec::new(); n_inputs];
    for c in chunks {
        let v = &mut counts[c.input as usize];
        if v.len() <= c.chunk as usize {
            v.resize(c.chunk as usize + 1, 0);
        }
        v[c.chunk as usize] = c.lines;
    }
    counts
        .into_iter()
        .map(|per_chunk| {
            let mut acc = 0;
            per_chunk
                .into_iter()
                .map(|n| {
                    let before = acc;
                    acc += n;
                    before
                })
                .collect()
        })
        .collect()
}

/// Reads a stream on a thread of its own, cutting it into newline-aligned chunks for the
/// workers. The stream's format is detected from its first bytes.
fn run_stream<A: Accumulate>(
    pool: &rayon::ThreadPool,
    job: &Job<'_>,
    input: &Input,
    index: u32,
    cfg: &EngineConfig,
    make: &(dyn Fn() -> Worker<A> + Sync),
) -> Result<(Worker<A>, LineReader, Compression)> {
    let (mut reader, compression) = crate::source::open_stream(input)?;
    let name = input.display();
    let chunk_size = cfg.chunk_size;
    // The first bytes, read here so the format is known before any worker starts.
    let mut first = Vec::with_capacity(chunk_size);
    let first_eof =
        read_full(&mut reader, &mut first, HEAD_BYTES).map_err(|e| cannot_read(&name, &e))?;
    let line_reader = cfg.reader_for(&first);
    let (tx, rx) = mpsc::sync_channel::<io::Result<(u32, Vec<u8>)>>(cfg.threads.max(2));
    let stop = Arc::new(AtomicBool::new(false));
    let stop_reader = Arc::clone(&stop);
    let reader_thread = std::thread::spawn(move || {
        let mut carry: Vec<u8> = first;
        // The bytes of `carry` known to hold no newline (none of the first read's are known).
        let mut searched = 0;
        let mut eof = first_eof;
        let mut chunk = 0u32;
        loop {
            if stop_reader.load(Ordering::Relaxed) {
                return;
            }
            let mut buf = std::mem::take(&mut carry);
            if !eof {
                // A chunk's worth, or another chunk's worth while one line is longer than a
                // chunk: reading that line a byte at a time, searching all of it each time,
                // took minutes for one line of a few megabytes.
                let want = match chunk_size.saturating_sub(buf.len()) {
                    0 => chunk_size.max(1),
                    n => n,
                };
                buf.reserve(want);
                match read_full(&mut reader, &mut buf, want) {
                    Ok(e) => eof = e,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
            }
            if eof {
                if !buf.is_empty() {
                    let _ = tx.send(Ok((chunk, buf)));
                }
                return;
            }
            match memrchr(b'\n', &buf[searched..]) {
                // One line longer than a chunk so far: keep reading until it ends.
                None => {
                    searched = buf.len();
                    carry = buf;
                }
                Some(p) => {
                    carry = buf.split_off(searched + p + 1);
                    searched = carry.len();
                    if tx.send(Ok((chunk, buf))).is_err() {
                        return;
                    }
                    chunk += 1;
                }
            }
        }
    });
    let worker = pool.install(|| {
        rx.into_iter()
            .par_bridge()
            .fold(make, |mut w, item| {
                match item {
                    Ok((chunk, data)) => {
                        if w.error.is_none() && !job.should_skip(index, chunk) {
                            w.process(job, &line_reader, index, chunk, &data);
                        }
                    }
                    Err(e) => {
                        w.error = Some(cannot_read(&name, &e));
                    }
                }
                w
            })
            .reduce(make, Worker::merge)
    });
    stop.store(true, Ordering::Relaxed);
    let _ = reader_thread.join();
    Ok((worker, line_reader, compression))
}

/// A progress bar on stderr, drawn from a ticker thread so the workers only bump a counter.
struct Progress {
    done: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(enabled: bool, total: Option<u64>) -> Progress {
        let done = Arc::new(AtomicBool::new(false));
        PROGRESS_BYTES.store(0, Ordering::Relaxed);
        if !enabled {
            return Progress { done, thread: None };
        }
        let flag = Arc::clone(&done);
        let thread = std::thread::spawn(move || {
            // Made now (hidden) so its rate counts from the start of the run.
            let bar = match total {
                Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::hidden())
                    .with_style(
                        ProgressStyle::with_template(
                            // `wide_bar` takes what the terminal's width leaves.
                            "{wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    ),
                None => ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
                    .with_style(
                        ProgressStyle::with_template("{spinner} {bytes} {binary_bytes_per_sec}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    ),
            };
            // Short runs never show a bar.
            for _ in 0..5 {
                std::thread::sleep(Duration::from_millis(100));
                bar.set_position(PROGRESS_BYTES.load(Ordering::Relaxed));
                if flag.load(Ordering::Relaxed) {
                    return;
                }
            }
            bar.set_draw_target(ProgressDrawTarget::stderr());
            while !flag.load(Ordering::Relaxed) {
                bar.set_position(PROGRESS_BYTES.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        Progress {
            done,
            thread: Some(thread),
        }
    }

    fn finish(mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Bytes processed so far, for the progress bar.
static PROGRESS_BYTES: AtomicU64 = AtomicU64::new(0);

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn chunks_of(content: &[u8], chunk: u64) -> Vec<Vec<u8>> {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(content).unwrap();
        let file = File::open(f.path()).unwrap();
        let len = content.len() as u64;
        let mut out = Vec::new();
        let mut s = 0;
        while s < len.max(1) {
            let e = (s + chunk).min(len);
            let mut buf = Vec::new();
            let r = read_chunk(&file, len, s, e, &mut buf).unwrap();
            out.push(buf[r].to_vec());
            s += chunk;
            if len == 0 {
                break;
            }
        }
        out
    }

    #[test]
    fn chunks_reassemble_the_file_at_line_boundaries() {
        let content = b"aaaa\nbb\n\nccccccccccccccccccc\nd\ne";
        for size in 1..=content.len() as u64 + 1 {
            let parts = chunks_of(content, size);
            assert_eq!(parts.concat(), content, "chunk size {size}");
            for p in &parts[..parts.len() - 1] {
                assert!(
                    p.is_empty() || p.ends_with(b"\n"),
                    "chunk size {size}: {p:?}"
                );
            }
        }
    }
}
