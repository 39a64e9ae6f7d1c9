// pull.js: an ePUAP pull client written with npm's `soap` package, run by TestNodeSoap to
// check the simulator against a SOAP stack that is not obieg's. It reads the official
// pull.wsdl from the simulator (?wsdl), signs every request with soap's WSSecurityCert
// (RSA-SHA256, SHA-256 digests, exclusive C14N as ePUAP's profile asks), and prints one JSON
// object on stdout.
//
// usage: node pull.js WSDL_URL KEY_PEM CERT_PEM MODE PODMIOT SKRYTKA ADRES
//   MODE drain      count, then fetch and confirm every document; Body Id as xml-crypto
//                   writes it (plain Id), with a signed wsu:Timestamp
//   MODE count-wsu  count only, Body named by wsu:Id (idMode wssecurity), no Timestamp
//   MODE count      count only (used with a bad key or certificate: expect a fault)
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const soap = require('soap');

async function main() {
  const [wsdl, keyPath, certPath, mode, podmiot, nazwaSkrytki, adresSkrytki] = process.argv.slice(2);
  const key = fs.readFileSync(keyPath);
  const cert = fs.readFileSync(certPath);
  const options = {
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    signatureTransformations: ['http://www.w3.org/2001/10/xml-exc-c14n#'],
    hasTimeStamp: mode === 'drain',
  };
  if (mode === 'count-wsu') {
    options.signerOptions = { idMode: 'wssecurity' };
  }
  const client = await soap.createClientAsync(wsdl);
  client.setSecurity(new soap.WSSecurityCert(key, cert, '', options));
  const query = { podmiot, nazwaSkrytki, adresSkrytki };
  const out = { operations: Object.keys(client.describe().pkPullService.pull) };
  try {
    const [count] = await client.oczekujaceDokumentyAsync(query);
    out.oczekujace = Number(count.oczekujace);
    out.statusKod = Number(count.status.kod);
    if (mode === 'drain') {
      out.documents = [];
      for (let i = 0; i < 100; i++) {
        const [next] = await client.pobierzNastepnyAsync(query);
        if (Number(next.status.kod) !== 1) {
          out.lastStatus = Number(next.status.kod);
          break;
        }
        const content = Buffer.from(next.dokument.zawartosc, 'base64');
        out.documents.push({
          nazwaPliku: next.dokument.nazwaPliku,
          sha256: crypto.createHash('sha256').update(content).digest('hex'),
          nadawca: next.danePodmiotu.identyfikator,
        });
        const skrot = crypto.createHash('sha1').update(content).digest('base64');
        const [confirmed] = await client.potwierdzOdebranieAsync({ ...query, skrot });
        if (Number(confirmed.status.kod) !== 1) {
          throw new Error('potwierdzOdebranie: status ' + confirmed.status.kod);
        }
      }
    }
  } catch (err) {
    const detail = err.root && err.root.Envelope && err.root.Envelope.Body && err.root.Envelope.Body.Fault;
    if (!detail) {
      throw err;
    }
    const wyjatek = detail.detail && detail.detail.Wyjatek;
    out.fault = { faultcode: detail.faultcode, kod: wyjatek ? Number(wyjatek.kod) : null, komunikat: wyjatek ? wyjatek.komunikat : null };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack || err) + '\n');
  process.exit(1);
});
