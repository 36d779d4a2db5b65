import {
  createCipheriv,
  createDecipheriv,
  pbkdf2Sync,
  randomBytes,
  randomUUID,
  scryptSync,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bytesToHex, hexToBytes, isHex, keccak256, type Hex } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { KeyError } from './errors.js';

/**
 * Keys come from UM_PRIVATE_KEY or from an encrypted keystore (Web3 Secret Storage v3, the format
 * of geth, Foundry's `cast wallet` and MetaMask exports: scrypt or pbkdf2 + aes-128-ctr + keccak
 * MAC) unlocked with UM_KEYSTORE_PASSWORD or a password file. The key is never logged: errors name
 * the source, never the value.
 */
export interface KeySource {
  readonly privateKey?: string;
  readonly keystorePath?: string;
  readonly password?: string;
  readonly passwordFile?: string;
}

interface KeystoreV3 {
  version: 3;
  id: string;
  address?: string;
  crypto: {
    cipher: 'aes-128-ctr';
    ciphertext: string;
    cipherparams: { iv: string };
    kdf: 'scrypt' | 'pbkdf2';
    kdfparams: {
      dklen: number;
      salt: string;
      n?: number;
      r?: number;
      p?: number;
      c?: number;
      prf?: string;
    };
    mac: string;
  };
}

const strip = (hex: string): string => hex.replace(/^0x/, '');

function deriveKey(password: string, crypto: KeystoreV3['crypto']): Buffer {
  const { kdf, kdfparams } = crypto;
  const salt = Buffer.from(strip(kdfparams.salt), 'hex');
  if (kdf === 'scrypt') {
    const { n = 0, r = 0, p = 0, dklen } = kdfparams;
    return scryptSync(password, salt, dklen, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 });
  }
  if (kdf === 'pbkdf2') {
    if (kdfparams.prf !== 'hmac-sha256')
      throw new KeyError(`unsupported pbkdf2 prf ${kdfparams.prf}`);
    return pbkdf2Sync(password, salt, kdfparams.c ?? 0, kdfparams.dklen, 'sha256');
  }
  throw new KeyError(`unsupported keystore kdf ${String(kdf)}`);
}

/** Decrypts a v3 keystore document; a wrong password is a KeyError ("MAC mismatch"). */
export function decryptKeystore(json: string, password: string): Hex {
  let doc: KeystoreV3;
  try {
    doc = JSON.parse(json) as KeystoreV3;
  } catch {
    throw new KeyError('the keystore file is not JSON');
  }
  if (doc.version !== 3 || !doc.crypto) throw new KeyError('the keystore is not a v3 keystore');
  if (doc.crypto.cipher !== 'aes-128-ctr')
    throw new KeyError(`unsupported keystore cipher ${doc.crypto.cipher}`);
  const key = deriveKey(password, doc.crypto);
  const ciphertext = Buffer.from(strip(doc.crypto.ciphertext), 'hex');
  const mac = keccak256(Buffer.concat([key.subarray(16, 32), ciphertext]));
  if (strip(mac) !== strip(doc.crypto.mac).toLowerCase())
    throw new KeyError('wrong keystore password (MAC mismatch)');
  const decipher = createDecipheriv(
    'aes-128-ctr',
    key.subarray(0, 16),
    Buffer.from(strip(doc.crypto.cipherparams.iv), 'hex'),
  );
  return bytesToHex(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}

/** Encrypts a private key as a v3 keystore (scrypt; n = 2^18 by default as geth does). */
export function encryptKeystore(
  privateKey: Hex,
  password: string,
  options: { n?: number } = {},
): string {
  const n = options.n ?? 262_144;
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const kdfparams = { dklen: 32, salt: salt.toString('hex'), n, r: 8, p: 1 };
  const key = deriveKey(password, {
    kdf: 'scrypt',
    kdfparams,
  } as KeystoreV3['crypto']);
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(hexToBytes(privateKey)), cipher.final()]);
  const mac = strip(keccak256(Buffer.concat([key.subarray(16, 32), ciphertext])));
  const doc: KeystoreV3 = {
    version: 3,
    id: randomUUID(),
    address: strip(privateKeyToAccount(privateKey).address).toLowerCase(),
    crypto: {
      cipher: 'aes-128-ctr',
      ciphertext: ciphertext.toString('hex'),
      cipherparams: { iv: iv.toString('hex') },
      kdf: 'scrypt',
      kdfparams,
      mac,
    },
  };
  return JSON.stringify(doc);
}

/** Builds the signing account from the configured source; throws KeyError without the secret. */
export function loadAccount(source: KeySource): PrivateKeyAccount {
  if (source.privateKey && source.keystorePath)
    throw new KeyError('give either UM_PRIVATE_KEY or --keystore, not both');
  if (source.privateKey) {
    const key = source.privateKey.startsWith('0x') ? source.privateKey : `0x${source.privateKey}`;
    if (!isHex(key) || key.length !== 66)
      throw new KeyError('UM_PRIVATE_KEY must be 32 bytes of hex (the value is not shown)');
    return privateKeyToAccount(key);
  }
  if (source.keystorePath) {
    let password = source.password;
    if (password === undefined && source.passwordFile) {
      try {
        password = readFileSync(source.passwordFile, 'utf8').replace(/\r?\n$/, '');
      } catch (error) {
        throw new KeyError(`cannot read the password file: ${(error as Error).message}`);
      }
    }
    if (password === undefined)
      throw new KeyError('--keystore needs UM_KEYSTORE_PASSWORD or --password-file');
    let json: string;
    try {
      json = readFileSync(source.keystorePath, 'utf8');
    } catch (error) {
      throw new KeyError(`cannot read the keystore: ${(error as Error).message}`);
    }
    return privateKeyToAccount(decryptKeystore(json, password));
  }
  throw new KeyError('no key: set UM_PRIVATE_KEY or --keystore <file> (with UM_KEYSTORE_PASSWORD)');
}
