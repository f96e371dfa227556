/**
 * Object identifiers Certdesk reads and writes, with the names OpenSSL and certutil print. Anything
 * not listed is shown by its dotted OID, never refused.
 */

/** OIDs the CSR profile writes. */
export const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  dsa: '1.2.840.10040.4.1',
  commonName: '2.5.4.3',
  countryName: '2.5.4.6',
  localityName: '2.5.4.7',
  stateOrProvinceName: '2.5.4.8',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  extensionRequest: '1.2.840.113549.1.9.14',
  msExtensionRequest: '1.3.6.1.4.1.311.2.1.14',
  challengePassword: '1.2.840.113549.1.9.7',
  subjectAltName: '2.5.29.17',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  msEnrollmentCsp: '1.3.6.1.4.1.311.13.2.2',
  msOsVersion: '1.3.6.1.4.1.311.13.2.3',
  msClientInfo: '1.3.6.1.4.1.311.21.20',
  msEnrollmentNameValuePair: '1.3.6.1.4.1.311.13.2.1',
  msUpn: '1.3.6.1.4.1.311.20.2.3',
} as const;

/** Subject attribute short names (RFC 4514 and the common OpenSSL ones). */
export const DN_SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

/** Public key algorithms. */
export const KEY_ALGORITHMS: Record<string, string> = {
  [OID.rsaEncryption]: 'RSA',
  [OID.rsassaPss]: 'RSASSA-PSS',
  [OID.ecPublicKey]: 'EC',
  [OID.ed25519]: 'Ed25519',
  [OID.ed448]: 'Ed448',
  [OID.dsa]: 'DSA',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.2.643.7.1.1.1.1': 'GOST R 34.10-2012 (256)',
  '1.2.156.10197.1.301': 'SM2',
};

/** Named EC curves with their field sizes. */
export const EC_CURVES: Record<string, { name: string; bits: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.7': { name: 'brainpoolP256r1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.11': { name: 'brainpoolP384r1', bits: 384 },
  '1.3.36.3.3.2.8.1.1.13': { name: 'brainpoolP512r1', bits: 512 },
  '1.2.156.10197.1.301': { name: 'SM2', bits: 256 },
};

/** Signature algorithms: display name and the node:crypto digest to verify with (null = none/unsupported). */
export const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: string | null; family: 'rsa' | 'pss' | 'ecdsa' | 'eddsa' | 'dsa' }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: null, family: 'rsa' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5', family: 'rsa' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1', family: 'rsa' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224', family: 'rsa' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256', family: 'rsa' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384', family: 'rsa' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512', family: 'rsa' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', hash: null, family: 'pss' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1', family: 'ecdsa' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224', family: 'ecdsa' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256', family: 'ecdsa' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384', family: 'ecdsa' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512', family: 'ecdsa' },
  '1.3.101.112': { name: 'Ed25519', hash: null, family: 'eddsa' },
  '1.3.101.113': { name: 'Ed448', hash: null, family: 'eddsa' },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', hash: 'sha1', family: 'dsa' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-SHA256', hash: 'sha256', family: 'dsa' },
};

/** Digest algorithm OIDs (inside RSASSA-PSS parameters). */
export const HASH_ALGORITHMS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Extension names as certutil shows them. */
export const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.14': 'Subject Key Identifier',
  '2.5.29.15': 'Key Usage',
  '2.5.29.17': 'Subject Alternative Name',
  '2.5.29.19': 'Basic Constraints',
  '2.5.29.32': 'Certificate Policies',
  '2.5.29.37': 'Enhanced Key Usage',
  '1.2.840.113549.1.9.15': 'SMIME Capabilities',
  '1.3.6.1.4.1.311.20.2': 'Certificate Template Name',
  '1.3.6.1.4.1.311.21.7': 'Certificate Template Information',
  '1.3.6.1.4.1.311.21.10': 'Application Policies',
  '1.3.6.1.5.5.7.1.1': 'Authority Information Access',
  '1.3.6.1.5.5.7.1.24': 'TLS Feature',
};

/**
 * Extended key usage purposes: the one table both decoders use. `name` is the short name OpenSSL and
 * RFC 5280 use (what certificates report and checks compare); `label` is certutil's word (CSR text).
 */
export const EXTENDED_KEY_USAGES: Readonly<Record<string, { name: string; label: string }>> = {
  '1.3.6.1.5.5.7.3.1': { name: 'serverAuth', label: 'Server Authentication' },
  '1.3.6.1.5.5.7.3.2': { name: 'clientAuth', label: 'Client Authentication' },
  '1.3.6.1.5.5.7.3.3': { name: 'codeSigning', label: 'Code Signing' },
  '1.3.6.1.5.5.7.3.4': { name: 'emailProtection', label: 'Secure Email' },
  '1.3.6.1.5.5.7.3.5': { name: 'ipsecEndSystem', label: 'IP security end system' },
  '1.3.6.1.5.5.7.3.6': { name: 'ipsecTunnel', label: 'IP security tunnel termination' },
  '1.3.6.1.5.5.7.3.7': { name: 'ipsecUser', label: 'IP security user' },
  '1.3.6.1.5.5.7.3.8': { name: 'timeStamping', label: 'Time Stamping' },
  '1.3.6.1.5.5.7.3.9': { name: 'OCSPSigning', label: 'OCSP Signing' },
  '2.5.29.37.0': { name: 'anyExtendedKeyUsage', label: 'Any Purpose' },
  '1.3.6.1.4.1.311.20.2.2': { name: 'msSmartcardLogin', label: 'Smart Card Logon' },
  '1.3.6.1.4.1.311.10.3.4': { name: 'msEFS', label: 'Encrypting File System' },
  '1.3.6.1.4.1.311.10.3.3': { name: 'msSGC', label: 'Microsoft Server Gated Crypto' },
  '1.3.6.1.5.5.8.2.2': { name: 'ipsecIKE', label: 'IP security IKE intermediate' },
};

/** Key usage bits in order (bit 0 first), RFC 5280 names. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** certutil's words for the key usage bits. */
export const KEY_USAGE_LABELS: Record<string, string> = {
  digitalSignature: 'Digital Signature',
  nonRepudiation: 'Non-Repudiation',
  keyEncipherment: 'Key Encipherment',
  dataEncipherment: 'Data Encipherment',
  keyAgreement: 'Key Agreement',
  keyCertSign: 'Certificate Signing',
  cRLSign: 'CRL Signing',
  encipherOnly: 'Encipher Only',
  decipherOnly: 'Decipher Only',
};

/** Request attribute names. */
export const ATTRIBUTE_NAMES: Record<string, string> = {
  [OID.extensionRequest]: 'Extension Request',
  [OID.msExtensionRequest]: 'Microsoft Extension Request',
  [OID.challengePassword]: 'Challenge Password',
  '1.2.840.113549.1.9.2': 'Unstructured Name',
  '1.2.840.113549.1.9.8': 'Unstructured Address',
  [OID.msEnrollmentCsp]: 'Enrollment CSP',
  [OID.msOsVersion]: 'OS Version',
  [OID.msClientInfo]: 'Client Information',
  [OID.msEnrollmentNameValuePair]: 'Enrollment Name Value Pair',
  '1.3.6.1.4.1.311.13.1': 'Renewal Certificate',
};
