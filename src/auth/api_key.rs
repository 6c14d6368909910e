//! The API key format and its hash: generating a key, recognising a presented one, and checking
//! it against the stored hash in constant time. Pure functions; the table is `domain::api_keys`.
//!
//! A key reads `styra_<prefix>_<secret>`: the prefix (12 lowercase letters or digits) is stored
//! in clear and finds the row; the secret (40 letters or digits, about 238 bits from the
//! operating system's CSPRNG via `rand::rng`) is never stored, only the SHA-256 of the whole key.
//!
//! Why a plain, unsalted SHA-256 is the right hash here: salts and slow hashes (argon2, bcrypt)
//! exist because passwords are guessable; a 238-bit random secret is not, so a stolen hash column
//! still cannot be reversed, and one fast hash keeps every report request cheap. A server-side
//! pepper would add nothing against guessing either, but would tie the keys to one instance's
//! configuration (every instance behind a load balancer, and every restore, would need the same
//! pepper, and rotating it would silently kill every key). The version tag in the hashed input
//! lets a future format change the hash without ambiguity.

use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// How every key starts; recognisable in secret scanners and in a misplaced `Authorization`.
pub const KEY_START: &str = "styra_";
const PREFIX_LEN: usize = 12;
const SECRET_LEN: usize = 40;
const PREFIX_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const SECRET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HASH_DOMAIN: &[u8] = b"styra-api-key-v1\0";

/// A freshly generated key: the plaintext (shown once), its lookup prefix and its hash.
pub struct GeneratedKey {
    pub plaintext: String,
    pub prefix: String,
    pub hash: String,
}

fn random_text(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
        .collect()
}

/// A new random key.
pub fn generate() -> GeneratedKey {
    let prefix = random_text(PREFIX_ALPHABET, PREFIX_LEN);
    let secret = random_text(SECRET_ALPHABET, SECRET_LEN);
    let plaintext = format!("{KEY_START}{prefix}_{secret}");
    let hash = hash(&plaintext);
    GeneratedKey {
        plaintext,
        prefix,
        hash,
    }
}

/// The lookup prefix of a presented key, or `None` when it is not shaped like a Styra key
/// (checked before any database lookup, so junk never reaches a query).
pub fn prefix_of(presented: &str) -> Option<&str> {
    let rest = presented.strip_prefix(KEY_START)?;
    let (prefix, secret) = rest.split_once('_')?;
    let prefix_ok =
        prefix.len() == PREFIX_LEN && prefix.bytes().all(|b| PREFIX_ALPHABET.contains(&b));
    let secret_ok =
        secret.len() == SECRET_LEN && secret.bytes().all(|b| SECRET_ALPHABET.contains(&b));
    (prefix_ok && secret_ok).then_some(prefix)
}

/// Whether a presented value looks like a Styra key at all (for clear errors on other routes).
pub fn looks_like_key(value: &str) -> bool {
    value.starts_with(KEY_START)
}

/// The stored form of a key: SHA-256 over a version tag and the whole key, lowercase hex.
pub fn hash(key: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(HASH_DOMAIN);
    hasher.update(key.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `presented` hashes to `stored_hash`, compared in constant time so the response time
/// says nothing about how much of a guessed hash was right.
pub fn matches(presented: &str, stored_hash: &str) -> bool {
    hash(presented)
        .as_bytes()
        .ct_eq(stored_hash.as_bytes())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_parse_and_match_their_hash() {
        let key = generate();
        assert!(key.plaintext.starts_with("styra_"));
        assert_eq!(prefix_of(&key.plaintext), Some(key.prefix.as_str()));
        assert!(matches(&key.plaintext, &key.hash));
        assert!(!key
            .hash
            .contains(&key.plaintext[KEY_START.len() + PREFIX_LEN + 1..]));
        assert_eq!(key.hash.len(), 64);
    }

    #[test]
    fn keys_differ_and_a_changed_character_fails() {
        let a = generate();
        let b = generate();
        assert_ne!(a.plaintext, b.plaintext);
        assert_ne!(a.prefix, b.prefix);
        let mut tampered = a.plaintext.clone();
        let last = tampered
            .pop()
            .map_or('a', |c| if c == 'a' { 'b' } else { 'a' });
        tampered.push(last);
        assert!(!matches(&tampered, &a.hash));
        assert!(!matches(&a.plaintext, &b.hash));
    }

    #[test]
    fn malformed_keys_have_no_prefix() {
        for bad in [
            "",
            "styra_",
            "styra_abc_def",
            "other_abcdefghijkl_0123456789012345678901234567890123456789",
            "styra_ABCDEFGHIJKL_0123456789012345678901234567890123456789",
            "styra_abcdefghijkl_01234567890123456789012345678901234567-9",
            "styra_abcdefghijkl_0123456789012345678901234567890123456789x",
        ] {
            assert_eq!(prefix_of(bad), None, "{bad}");
        }
        assert_eq!(
            prefix_of("styra_abcdefghijkl_0123456789012345678901234567890123456789"),
            Some("abcdefghijkl")
        );
    }
}
