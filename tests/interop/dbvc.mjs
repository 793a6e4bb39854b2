// Interop peer: signs and verifies eddsa-rdfc-2022 credentials with Digital Bazaar's
// @digitalbazaar/vc, and issues, derives and verifies ecdsa-sd-2023 ones, using only the
// contexts pinned in microcred (no network).
//
// usage: node dbvc.mjs CONTEXTS_DIR < request.json > response.json
// request: {"op": "sign", "credential": {...}, "key": {"id", "controller", "publicKeyMultibase", "secretKeyMultibase"}}
//       or {"op": "verify", "credential": {...}}
//       or {"op": "sign-many", "credentials": [...], "key": {...}}, {"op": "verify-many", "credentials": [...]}
//       or {"op": "sd-sign", "credential", "key" (P-256), "mandatoryPointers": [...]},
//          {"op": "sd-derive", "credential", "selectivePointers": [...]}, {"op": "sd-verify", "credential"}
// response: {"ok": true, "credential": {...}} | {"ok": true, "verified": bool, "error": "..."}
//        or {"ok": true, "results": [...]} (one of the above per credential, in order)
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {
  createDiscloseCryptosuite,
  createSignCryptosuite,
  createVerifyCryptosuite,
} from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';

const contextsDir = process.argv[2];
const index = JSON.parse(readFileSync(join(contextsDir, 'index.json'), 'utf8'));

function didKeyDocument(url) {
  const [did, fragment] = url.split('#');
  const multibase = did.slice('did:key:'.length);
  const method = {
    id: `${did}#${multibase}`,
    type: 'Multikey',
    controller: did,
    publicKeyMultibase: multibase,
  };
  if (fragment) {
    return {'@context': 'https://w3id.org/security/multikey/v1', ...method};
  }
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [method],
    assertionMethod: [method.id],
    authentication: [method.id],
  };
}

async function documentLoader(url) {
  if (url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: didKeyDocument(url)};
  }
  const file = index[url];
  if (!file) {
    throw new Error(`context not pinned: ${url}`);
  }
  const document = JSON.parse(readFileSync(join(contextsDir, file), 'utf8'));
  return {contextUrl: null, documentUrl: url, document};
}

async function main() {
  const request = JSON.parse(readFileSync(0, 'utf8'));
  if (request.op === 'sign-many' || request.op === 'verify-many') {
    const results = [];
    const ms = [];  // CPU time of each answer, for the benchmarks' Node anchor
    for (const credential of request.credentials) {
      const started = process.cpuUsage();
      results.push(await answer({...request, op: request.op.split('-')[0], credential}));
      const used = process.cpuUsage(started);
      ms.push((used.user + used.system) / 1000);
    }
    return {ok: true, results, ms};
  }
  return answer(request);
}

async function answer(request) {
  if (request.op === 'sign') {
    const keyPair = await Ed25519Multikey.from(request.key);
    const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite});
    if (request.date) {
      suite.date = request.date;
    }
    const credential = await vc.issue({credential: request.credential, suite, documentLoader});
    return {ok: true, credential};
  }
  if (request.op === 'verify') {
    const suite = new DataIntegrityProof({cryptosuite});
    const result = await vc.verifyCredential({
      credential: request.credential, suite, documentLoader,
      checkStatus: async () => ({verified: true}),
    });
    const error = result.error ? String(result.error.errors || result.error.message || result.error) : null;
    return {ok: true, verified: result.verified, error};
  }
  if (request.op.startsWith('sd-')) {
    return selectiveDisclosure(request);
  }
  throw new Error(`unknown op ${request.op}`);
}

async function selectiveDisclosure(request) {
  if (request.op === 'sd-sign') {
    const keyPair = await EcdsaMultikey.from({type: 'Multikey', ...request.key});
    const cryptosuite = createSignCryptosuite({mandatoryPointers: request.mandatoryPointers});
    const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite});
    const credential = await vc.issue({credential: request.credential, suite, documentLoader});
    return {ok: true, credential};
  }
  if (request.op === 'sd-derive') {
    const cryptosuite = createDiscloseCryptosuite({selectivePointers: request.selectivePointers});
    const suite = new DataIntegrityProof({cryptosuite});
    const credential = await vc.derive({
      verifiableCredential: request.credential, suite, documentLoader,
    });
    return {ok: true, credential};
  }
  const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
  const result = await vc.verifyCredential({
    credential: request.credential, suite, documentLoader,
    checkStatus: async () => ({verified: true}),
  });
  const error = result.error ? String(result.error.errors || result.error.message || result.error) : null;
  return {ok: true, verified: result.verified, error};
}

main().then(
  (response) => process.stdout.write(JSON.stringify(response)),
  (error) => process.stdout.write(JSON.stringify({ok: false, error: String(error && error.stack || error)})),
);
