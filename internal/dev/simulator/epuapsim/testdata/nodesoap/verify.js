// verify.js: checks with xml-crypto (the library under npm's soap) the WS-Security
// signature of an envelope that obieg signed, run by TestNodeSoap: an independent check of
// obieg's signer and of its canonicalisation.
//
// usage: node verify.js ENVELOPE_FILE CERT_PEM
// prints {"ok": true} or {"ok": false, "error": "..."}
'use strict';
const fs = require('fs');
const { DOMParser } = require('@xmldom/xmldom');
const xpath = require('xpath');
const { SignedXml } = require('xml-crypto');

const [envelopePath, certPath] = process.argv.slice(2);
const xml = fs.readFileSync(envelopePath, 'utf8');
const doc = new DOMParser().parseFromString(xml, 'text/xml');
const signature = xpath.select1(
  "/*[local-name()='Envelope']/*[local-name()='Header']/*[local-name()='Security']/*[local-name()='Signature' and namespace-uri()='http://www.w3.org/2000/09/xmldsig#']",
  doc,
);
const out = { ok: false };
try {
  if (!signature) {
    throw new Error('no ds:Signature in wsse:Security');
  }
  const sig = new SignedXml({ publicCert: fs.readFileSync(certPath) });
  sig.loadSignature(signature);
  out.ok = sig.checkSignature(xml);
  out.references = sig.getReferences().map((r) => r.uri);
} catch (err) {
  out.error = String(err && err.message || err);
}
process.stdout.write(JSON.stringify(out) + '\n');
