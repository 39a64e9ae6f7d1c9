package xades

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"time"
)

// weierstrass is a short Weierstrass curve y² = x³ + ax + b over GF(p)
// with a base point of prime order n and cofactor 1, as the brainpool
// curves of RFC 5639 are. crypto/elliptic handles only a = -3, and
// crypto/x509 refuses these keys, so ECDSA verification over them is done
// here with math/big. Verification handles public data only, so constant
// time does not matter.
type weierstrass struct {
	name         string
	p, a, b      *big.Int
	gx, gy       *big.Int
	n            *big.Int
	byteLen      int // of field elements and of r and s
	orderBitSize int
}

func hexInt(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("bad curve constant " + s)
	}
	return n
}

func newCurve(name, p, a, b, gx, gy, n string) *weierstrass {
	c := &weierstrass{name: name, p: hexInt(p), a: hexInt(a), b: hexInt(b), gx: hexInt(gx), gy: hexInt(gy), n: hexInt(n)}
	c.byteLen = (c.p.BitLen() + 7) / 8
	c.orderBitSize = c.n.BitLen()
	return c
}

// Domain parameters of RFC 5639 section 3 (as OpenSSL prints them).
var brainpoolCurves = map[string]*weierstrass{
	"1.3.36.3.3.2.8.1.1.7": newCurve("brainpoolP256r1",
		"a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377",
		"7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9",
		"26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6",
		"8bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262",
		"547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997",
		"a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7"),
	"1.3.36.3.3.2.8.1.1.11": newCurve("brainpoolP384r1",
		"8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123acd3a729901d1a71874700133107ec53",
		"7bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f8aa5814a503ad4eb04a8c7dd22ce2826",
		"04a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d57cb4390295dbc9943ab78696fa504c11",
		"1d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8e826e03436d646aaef87b2e247d4af1e",
		"8abe1d7520f9c2a45cb1eb8e95cfd55262b70b29feec5864e19c054ff99129280e4646217791811142820341263c5315",
		"8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7cf3ab6af6b7fc3103b883202e9046565"),
	"1.3.36.3.3.2.8.1.1.13": newCurve("brainpoolP512r1",
		"aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca703308717d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3",
		"7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca",
		"3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723",
		"81aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098eff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f822",
		"7dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892",
		"aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069"),
}

// point is an affine point; nil is the point at infinity.
type point struct{ x, y *big.Int }

func (c *weierstrass) onCurve(x, y *big.Int) bool {
	if x.Sign() < 0 || x.Cmp(c.p) >= 0 || y.Sign() < 0 || y.Cmp(c.p) >= 0 {
		return false
	}
	lhs := new(big.Int).Mul(y, y)
	lhs.Mod(lhs, c.p)
	rhs := new(big.Int).Mul(x, x)
	rhs.Mul(rhs, x)
	rhs.Add(rhs, new(big.Int).Mul(c.a, x))
	rhs.Add(rhs, c.b)
	rhs.Mod(rhs, c.p)
	return lhs.Cmp(rhs) == 0
}

func (c *weierstrass) add(p1, p2 *point) *point {
	if p1 == nil {
		return p2
	}
	if p2 == nil {
		return p1
	}
	var lambda *big.Int
	if p1.x.Cmp(p2.x) == 0 {
		sum := new(big.Int).Add(p1.y, p2.y)
		if sum.Mod(sum, c.p).Sign() == 0 {
			return nil
		}
		// Doubling: λ = (3x² + a) / 2y.
		num := new(big.Int).Mul(p1.x, p1.x)
		num.Mul(num, big.NewInt(3))
		num.Add(num, c.a)
		den := new(big.Int).Lsh(p1.y, 1)
		den.Mod(den, c.p)
		lambda = num.Mul(num, new(big.Int).ModInverse(den, c.p))
	} else {
		num := new(big.Int).Sub(p2.y, p1.y)
		den := new(big.Int).Sub(p2.x, p1.x)
		den.Mod(den, c.p)
		lambda = num.Mul(num, new(big.Int).ModInverse(den, c.p))
	}
	lambda.Mod(lambda, c.p)
	x3 := new(big.Int).Mul(lambda, lambda)
	x3.Sub(x3, p1.x)
	x3.Sub(x3, p2.x)
	x3.Mod(x3, c.p)
	y3 := new(big.Int).Sub(p1.x, x3)
	y3.Mul(y3, lambda)
	y3.Sub(y3, p1.y)
	y3.Mod(y3, c.p)
	return &point{x3, y3}
}

func (c *weierstrass) mul(p *point, k *big.Int) *point {
	var r *point
	for i := k.BitLen() - 1; i >= 0; i-- {
		r = c.add(r, r)
		if k.Bit(i) == 1 {
			r = c.add(r, p)
		}
	}
	return r
}

// verify checks an ECDSA signature (r, s) of digest by the public point
// (x, y), as FIPS 186-4 section 6.4.2 describes.
func (c *weierstrass) verify(x, y *big.Int, digest []byte, r, s *big.Int) bool {
	if !c.onCurve(x, y) {
		return false
	}
	if r.Sign() <= 0 || s.Sign() <= 0 || r.Cmp(c.n) >= 0 || s.Cmp(c.n) >= 0 {
		return false
	}
	e := new(big.Int).SetBytes(digest)
	if excess := len(digest)*8 - c.orderBitSize; excess > 0 {
		e.Rsh(e, uint(excess))
	}
	w := new(big.Int).ModInverse(s, c.n)
	if w == nil {
		return false
	}
	u1 := new(big.Int).Mul(e, w)
	u1.Mod(u1, c.n)
	u2 := new(big.Int).Mul(r, w)
	u2.Mod(u2, c.n)
	sum := c.add(c.mul(&point{c.gx, c.gy}, u1), c.mul(&point{x, y}, u2))
	if sum == nil {
		return false
	}
	v := new(big.Int).Mod(sum.x, c.n)
	return v.Cmp(r) == 0
}

// ecKey is an EC public key on a curve crypto/x509 does not support.
type ecKey struct {
	curve *weierstrass
	x, y  *big.Int
}

// certInfo is what the report needs from a certificate crypto/x509 cannot
// parse.
type certInfo struct {
	subject, issuer     pkix.Name
	serial              *big.Int
	notBefore, notAfter time.Time
}

var errUnsupportedKey = errors.New("unsupported key")

// parseOtherCert reads a certificate whose EC key crypto/x509 refuses.
// It returns the key when the curve is a known brainpool curve.
func parseOtherCert(der []byte) (*ecKey, *certInfo, error) {
	var rc rawCert
	if rest, err := asn1.Unmarshal(der, &rc); err != nil || len(rest) > 0 {
		return nil, nil, errUnsupportedKey
	}
	info := &certInfo{serial: rc.TBS.Serial}
	var subj, iss pkix.RDNSequence
	if _, err := asn1.Unmarshal(rc.TBS.Subject.FullBytes, &subj); err == nil {
		info.subject.FillFromRDNSequence(&subj)
	}
	if _, err := asn1.Unmarshal(rc.TBS.Issuer.FullBytes, &iss); err == nil {
		info.issuer.FillFromRDNSequence(&iss)
	}
	var validity struct{ NotBefore, NotAfter time.Time }
	if _, err := asn1.Unmarshal(rc.TBS.Validity.FullBytes, &validity); err == nil {
		info.notBefore, info.notAfter = validity.NotBefore.UTC(), validity.NotAfter.UTC()
	}
	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(rc.TBS.PublicKey.Algorithm.Parameters.FullBytes, &oid); err != nil {
		return nil, info, errUnsupportedKey
	}
	c, ok := brainpoolCurves[oid.String()]
	if !ok {
		return nil, info, errUnsupportedKey
	}
	pt := rc.TBS.PublicKey.Key.Bytes
	if len(pt) != 1+2*c.byteLen || pt[0] != 4 {
		return nil, info, errUnsupportedKey // compressed points are not handled
	}
	k := &ecKey{curve: c, x: new(big.Int).SetBytes(pt[1 : 1+c.byteLen]), y: new(big.Int).SetBytes(pt[1+c.byteLen:])}
	if !c.onCurve(k.x, k.y) {
		return nil, info, errUnsupportedKey
	}
	return k, info, nil
}
