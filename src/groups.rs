//! `GroupMap`: the table from a group's key bytes to its accumulator, tuned for what telemetry
//! has: a few dozen short keys, looked up once per record.

use rustc_hash::FxHashMap;

/// How many keys the front cache remembers (a power of two, at most 64: a `u64` marks the
/// slots taken).
const FRONT: usize = 64;
const _: () = assert!(FRONT.is_power_of_two() && FRONT <= 64);
/// Keys that get a front slot of their own, at most. A random seed parts 16 keys into 64
/// slots one time in eight, so 64 tries all fail about once in 7,000; 32 keys it parts only one
/// time in 13,000. Past this, keys that share a slot are left to evict each other.
const SPREAD_KEYS: usize = 16;
/// The first multiplier of the front's hash.
const FIRST_SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// A key summarised by its length and its first and last eight bytes (zero-padded). For keys of
/// up to sixteen bytes those two words are the whole key, so equal summaries mean equal keys and
/// no byte comparison is needed.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
struct KeyWords {
    len: usize,
    head: u64,
    tail: u64,
}

impl KeyWords {
    #[inline(always)]
    fn of(key: &[u8]) -> Self {
        let len = key.len();
        let (head, tail) = if len >= 8 {
            (word(&key[..8]), word(&key[len - 8..]))
        } else {
            (short_word(key), 0)
        };
        KeyWords { len, head, tail }
    }

    #[inline(always)]
    fn slot(&self, seed: u64) -> usize {
        let h = (self.head ^ self.tail.rotate_left(29) ^ self.len as u64).wrapping_mul(seed);
        (h >> (64 - FRONT.trailing_zeros())) as usize
    }

    /// Do the words alone decide that a key with these words is the key?
    #[inline(always)]
    fn whole(&self) -> bool {
        self.len <= 16
    }
}

/// A key of under 8 bytes as a zero-padded little-endian word, from loads that overlap (the
/// bytes they share are the same bytes at the same places) rather than a copy into a padded
/// buffer, which costs a `memcpy` call and a stalled load of what it stored.
#[inline(always)]
fn short_word(key: &[u8]) -> u64 {
    let len = key.len();
    if len >= 4 {
        let first = u32::from_le_bytes([key[0], key[1], key[2], key[3]]) as u64;
        let last = u32::from_le_bytes([key[len - 4], key[len - 3], key[len - 2], key[len - 1]]);
        first | (last as u64) << (8 * (len - 4))
    } else if len > 0 {
        key[0] as u64
            | (key[len / 2] as u64) << (8 * (len / 2))
            | (key[len - 1] as u64) << (8 * (len - 1))
    } else {
        0
    }
}

#[inline(always)]
fn word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[..8]);
    u64::from_le_bytes(w)
}

/// Keyed by raw bytes (a group value as it stands in the line), insertion-ordered.
pub struct GroupMap<V> {
    entries: Vec<(Box<[u8]>, V)>,
    index: FxHashMap<Box<[u8]>, usize>,
    /// Recently used keys by slot: their words and their place in `entries`.
    front: Box<[(KeyWords, usize); FRONT]>,
    /// The front's hash multiplier (odd). Two keys in one slot evict each other on every line
    /// that alternates them, each time a hash-map lookup and a mispredicted branch: six actions
    /// in 64 slots share one about one time in five (a generator's `search` and `export` did).
    /// So another seed is chosen when a new key would share a slot with an earlier one.
    seed: u64,
    /// Lookups that missed the front, for the tests.
    #[cfg(test)]
    misses: u64,
}

impl<V> Default for GroupMap<V> {
    fn default() -> Self {
        GroupMap {
            entries: Vec::new(),
            index: FxHashMap::default(),
            // An empty slot: the empty key's words with no place, which the bounds check rejects.
            front: Box::new([(KeyWords::default(), usize::MAX); FRONT]),
            seed: FIRST_SEED,
            #[cfg(test)]
            misses: 0,
        }
    }
}

impl<V: Default> GroupMap<V> {
    /// The value for `key`, created with `V::default()` the first time the key is seen.
    #[inline(always)]
    pub fn entry(&mut self, key: &[u8]) -> &mut V {
        let words = KeyWords::of(key);
        let (seen, place) = self.front[words.slot(self.seed)];
        if seen == words
            && place < self.entries.len()
            && (words.whole() || *self.entries[place].0 == *key)
        {
            return &mut self.entries[place].1;
        }
        let place = self.place_of(key);
        // After `place_of`, which may have changed the seed.
        self.front[words.slot(self.seed)] = (words, place);
        &mut self.entries[place].1
    }

    #[inline(never)]
    fn place_of(&mut self, key: &[u8]) -> usize {
        #[cfg(test)]
        {
            self.misses += 1;
        }
        if let Some(&place) = self.index.get(key) {
            return place;
        }
        let place = self.entries.len();
        self.entries.push((key.into(), V::default()));
        self.index.insert(key.into(), place);
        if self.entries.len() <= SPREAD_KEYS {
            self.spread();
        }
        place
    }
}

impl<V> GroupMap<V> {
    /// Gives each key so far a front slot of its own: keeps the seed if it does, else tries
    /// up to 64 others (keeping the old one if none does), then puts every key in its slot.
    #[cold]
    fn spread(&mut self) {
        let words: Vec<KeyWords> = self.entries.iter().map(|(k, _)| KeyWords::of(k)).collect();
        let mut seed = self.seed;
        for _ in 0..64 {
            if parts(&words, seed) {
                self.seed = seed;
                break;
            }
            seed = next_seed(seed);
        }
        self.front.fill((KeyWords::default(), usize::MAX));
        for (place, w) in words.iter().enumerate() {
            self.front[w.slot(self.seed)] = (*w, place);
        }
    }
}

/// Do `words` all have slots of their own under `seed`?
fn parts(words: &[KeyWords], seed: u64) -> bool {
    let mut taken = 0u64;
    words.iter().all(|w| {
        let bit = 1u64 << w.slot(seed);
        let free = taken & bit == 0;
        taken |= bit;
        free
    })
}

/// The next seed to try: a SplitMix64 step, made odd.
fn next_seed(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) | 1
}

#[cfg(test)]
#[test]
fn short_words_are_the_zero_padded_key() {
    for len in 0..8 {
        let key: Vec<u8> = (0..len as u8)
            .map(|k| 0xa1u8.wrapping_add(17 * k))
            .collect();
        let mut padded = [0u8; 8];
        padded[..len].copy_from_slice(&key);
        assert_eq!(short_word(&key), u64::from_le_bytes(padded), "len {len}");
    }
}

/// For the tests: the accumulators only merge and consume their maps.
#[cfg(test)]
impl<V> GroupMap<V> {
    fn len(&self) -> usize {
        self.entries.len()
    }

    fn iter(&self) -> impl Iterator<Item = (&[u8], &V)> {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }
}

impl<V> GroupMap<V> {
    /// Folds `other` into this map, combining the values of keys present in both with `merge`.
    pub fn merge_with(&mut self, other: GroupMap<V>, mut merge: impl FnMut(&mut V, V)) {
        for (key, value) in other.entries {
            match self.index.get(&key) {
                Some(&place) => merge(&mut self.entries[place].1, value),
                None => {
                    self.index.insert(key.clone(), self.entries.len());
                    self.entries.push((key, value));
                }
            }
        }
    }
}

impl<V> IntoIterator for GroupMap<V> {
    type Item = (Box<[u8]>, V);
    type IntoIter = std::vec::IntoIter<(Box<[u8]>, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn counts_like_a_hash_map_for_keys_of_every_length() {
        // Keys that share heads and tails, keys around the 8- and 16-byte limits, the empty key,
        // and more keys than the front cache has slots, in an order that revisits them.
        let mut keys: Vec<Vec<u8>> = vec![Vec::new()];
        for len in 1..40 {
            keys.push(vec![b'a'; len]);
            let mut k = vec![b'a'; len];
            k[len / 2] = b'b';
            keys.push(k);
        }
        for i in 0..200u32 {
            keys.push(format!("action_{i}").into_bytes());
        }
        let mut map: GroupMap<u64> = GroupMap::default();
        let mut reference: HashMap<Vec<u8>, u64> = HashMap::new();
        for round in 0..5usize {
            for (i, k) in keys.iter().enumerate() {
                if (i + round) % 3 != 0 {
                    *map.entry(k) += 1;
                    *reference.entry(k.clone()).or_default() += 1;
                }
            }
        }
        assert_eq!(map.len(), reference.len());
        for (k, v) in map.iter() {
            assert_eq!(
                reference.get(k),
                Some(v),
                "{:?}",
                String::from_utf8_lossy(k)
            );
        }
    }

    /// Up to [`SPREAD_KEYS`] keys each keep a front slot, however they hash: once all are in,
    /// looking them up in any order never misses.
    #[test]
    fn the_first_keys_never_evict_each_other() {
        let keys: Vec<Vec<u8>> = (0..SPREAD_KEYS)
            .map(|i| format!("action_{i}").into_bytes())
            .collect();
        let first = keys.iter().map(|k| KeyWords::of(k)).collect::<Vec<_>>();
        assert!(
            !parts(&first, FIRST_SEED),
            "the test needs keys that collide at first"
        );
        let mut map: GroupMap<u64> = GroupMap::default();
        for k in &keys {
            *map.entry(k) += 1;
        }
        let before = map.misses;
        for round in 0..7 {
            for k in keys.iter().step_by(round + 1).chain(keys.iter().rev()) {
                *map.entry(k) += 1;
            }
        }
        assert_eq!(map.misses, before);
        // The two keys that shared a slot for a generator's run, among four others.
        let mut map: GroupMap<u64> = GroupMap::default();
        let six = [
            "explain",
            "recommend",
            "get_manifest",
            "search",
            "export",
            "track_event",
        ];
        for k in six.iter().cycle().take(600) {
            *map.entry(k.as_bytes()) += 1;
        }
        assert_eq!(map.misses, 6);
    }

    #[test]
    fn merge_adds_shared_keys_and_appends_new_ones() {
        let mut a: GroupMap<u64> = GroupMap::default();
        *a.entry(b"x") += 1;
        *a.entry(b"y") += 2;
        let mut b: GroupMap<u64> = GroupMap::default();
        *b.entry(b"y") += 10;
        *b.entry(b"z") += 20;
        a.merge_with(b, |mine, theirs| *mine += theirs);
        let got: Vec<(Vec<u8>, u64)> = a.iter().map(|(k, v)| (k.to_vec(), *v)).collect();
        assert_eq!(
            got,
            vec![(b"x".to_vec(), 1), (b"y".to_vec(), 12), (b"z".to_vec(), 20)]
        );
        // The merged map still finds every key.
        *a.entry(b"z") += 1;
        assert_eq!(a.len(), 3);
    }
}
