// verify.mjs checks XMLDSig/XAdES signatures with xadesjs, as a peer of
// obieg's own verifier in interoperability tests and benchmarks.
//
//   node verify.mjs [--repeat N] FILE...
//
// Every ds:Signature of every file is verified (references and
// SignatureValue with the KeyInfo key: xadesjs checks no trust, no
// revocation, no time-stamps). One line per file: "ok FILE" or
// "fail FILE: reason". With --repeat N each file is verified N times and the
// last line is "timing FILE N WALL CPU" (seconds of wall-clock and of CPU
// time, user and system, of this process). Exit status 0 only when every
// signature verified.
import { readFileSync } from "node:fs";
import * as xadesjs from "xadesjs";
import { Crypto } from "@peculiar/webcrypto";
import { DOMParser, XMLSerializer, DOMImplementation } from "@xmldom/xmldom";
import * as xpath from "xpath";

xadesjs.setNodeDependencies({ DOMParser, XMLSerializer, DOMImplementation, xpath });
xadesjs.Application.setEngine("NodeJS", new Crypto());

const DSIG = "http://www.w3.org/2000/09/xmldsig#";

async function verifyOnce(text) {
  const doc = xadesjs.Parse(text);
  const sigs = doc.getElementsByTagNameNS(DSIG, "Signature");
  if (sigs.length === 0) throw new Error("no ds:Signature");
  for (let i = 0; i < sigs.length; i++) {
    const sx = new xadesjs.SignedXml(doc);
    sx.LoadXml(sigs[i]);
    if (!(await sx.Verify())) throw new Error(`signature ${i} does not verify`);
  }
}

const args = process.argv.slice(2);
let repeat = 0;
if (args[0] === "--repeat") {
  repeat = parseInt(args[1], 10);
  args.splice(0, 2);
}
let failed = false;
for (const file of args) {
  const text = readFileSync(file, "utf8");
  try {
    await verifyOnce(text);
    console.log(`ok ${file}`);
  } catch (e) {
    failed = true;
    console.log(`fail ${file}: ${e && e.message ? e.message : e}`);
    continue;
  }
  if (repeat > 0) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (let i = 0; i < repeat; i++) await verifyOnce(text);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    console.log(`timing ${file} ${repeat} ${s.toFixed(6)} ${((c.user + c.system) / 1e6).toFixed(6)}`);
  }
}
process.exit(failed ? 1 : 0);
