//! Encryption of secrets the server must read back (TOTP secrets, provider
//! tokens): XChaCha20-Poly1305 under the configured 32-byte key.
//!
//! The 24-byte nonce is random per message (large enough that random nonces
//! never collide in practice) and stored in front of the ciphertext. Callers
//! pass associated data naming the owner of the secret (e.g. `totp:<user>`),
//! so a ciphertext copied onto another row does not decrypt there.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const NONCE_LEN: usize = 24;

pub struct Cipher {
    aead: XChaCha20Poly1305,
    /// A key of its own for [`Cipher::keyed_hash`], derived from the same secret.
    mac_key: [u8; 32],
}

#[derive(Debug, thiserror::Error)]
#[error("a stored secret could not be decrypted (wrong key or tampered data)")]
pub struct CryptoError;

impl Cipher {
    pub fn new(key: &[u8; 32]) -> Self {
        let mut derive = Sha256::new();
        derive.update(b"lovedcrm keyed hash v1");
        derive.update(key);
        Self {
            aead: XChaCha20Poly1305::new(&Key::from(*key)),
            mac_key: derive.finalize().into(),
        }
    }

    /// HMAC-SHA256 of `data` (hex): a hash of a short secret (a backup code)
    /// that a copy of the database alone cannot brute-force.
    pub fn keyed_hash(&self, data: &str) -> Result<String, CryptoError> {
        // HMAC takes keys of any length; the error cannot happen.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.mac_key).map_err(|_| CryptoError)?;
        mac.update(data.as_bytes());
        Ok(mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }

    /// `base64(nonce ‖ ciphertext ‖ tag)`.
    /// 32 bytes derived from the server's secret for `purpose` (e.g. the
    /// VAPID signing key): the same on every node, with nothing more to
    /// configure, and unrelated to the other uses of the secret.
    pub fn derive_key(&self, purpose: &str) -> [u8; 32] {
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.mac_key) {
            Ok(mac) => mac,
            Err(_) => return [0; 32],
        };
        mac.update(b"lovedcrm derived key v1:");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    pub fn encrypt(&self, plaintext: &[u8], aad: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::fill(&mut nonce);
        let payload = Payload {
            msg: plaintext,
            aad: aad.as_bytes(),
        };
        // Encryption only fails for messages beyond 256 GiB.
        let sealed = self
            .aead
            .encrypt(&XNonce::from(nonce), payload)
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        B64.encode(out)
    }

    pub fn decrypt(&self, sealed: &str, aad: &str) -> Result<Vec<u8>, CryptoError> {
        let raw = B64.decode(sealed.trim()).map_err(|_| CryptoError)?;
        if raw.len() < NONCE_LEN {
            return Err(CryptoError);
        }
        let (nonce, body) = raw.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| CryptoError)?;
        self.aead
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: body,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| CryptoError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bound_to_its_associated_data() {
        let cipher = Cipher::new(&[7u8; 32]);
        let sealed = cipher.encrypt(b"JBSWY3DPEHPK3PXP", "totp:a");
        assert_ne!(cipher.encrypt(b"JBSWY3DPEHPK3PXP", "totp:a"), sealed);
        assert_eq!(
            cipher.decrypt(&sealed, "totp:a").ok().as_deref(),
            Some(&b"JBSWY3DPEHPK3PXP"[..])
        );
        assert!(cipher.decrypt(&sealed, "totp:b").is_err());
        assert!(Cipher::new(&[8u8; 32]).decrypt(&sealed, "totp:a").is_err());
        assert!(cipher.decrypt("not base64!", "totp:a").is_err());
        let h = cipher.keyed_hash("abcd-efgh").ok();
        assert_eq!(h, cipher.keyed_hash("abcd-efgh").ok());
        assert_ne!(h, Cipher::new(&[8u8; 32]).keyed_hash("abcd-efgh").ok());
    }
}
