import { createPrivateKey } from 'node:crypto';

/**
 * The key as an encrypted PKCS#8 PEM ("BEGIN ENCRYPTED PRIVATE KEY"): PBES2 with PBKDF2-HMAC-SHA256
 * and AES-256-CBC, as OpenSSL 3 writes it, so nginx (`ssl_password_file`) and `openssl pkey` read it.
 * A proxy's key never sits on a drive in plaintext; the password is the PFX's, kept in the keychain.
 */
export function encryptPrivateKeyPem(privateKeyPem: string, passphrase: string): string {
  return createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
}
