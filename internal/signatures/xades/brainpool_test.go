package xades

import (
	"crypto"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"math/big"
	"testing"
)

// Vectors made with OpenSSL 3 (openssl ecparam -genkey; openssl dgst
// -sign) over the message below: SubjectPublicKeyInfo, r, s.
var brainpoolVectors = []struct {
	curve, hash, spki, r, s string
}{
	{"brainpoolP256r1", "sha256", "305a301406072a8648ce3d020106092b240303020801010703420004328663c7a72489f50a648df1d47b23c5c9d1c587d4c68feff1280be0bb604fb8080f1d11fa9b88eeef6463420a9f872d50fa4f978330c80d0bd73b3957c38b20", "2d0d5c400269329d59903a9ac7d72e45c3891aa8f38a2b93851f580d4acc67c6", "32402f25890e8b0a45f3f1e336f145007cf798e4b1e341ff29f7a0bfa9b784c4"},
	{"brainpoolP384r1", "sha384", "307a301406072a8648ce3d020106092b240303020801010b03620004204b12230efd0dbabd6844c1bb88115a59b4daff73606c643be4844d4e91d1c004b42da53254a6456ccac33b936f4cdb7e6f4aaf58d97919259ac4a3a9eda45722363eb515d4af2e6abc059f57f0df0bff3d43f229904ba6a6b994ddbd4296f2", "5da5910c6e5d71fc29363eb80a807866b56c8c3b657b3b5912c2e2cadff3f468e9ab4ec840a410c8e2b36d940398a56c", "72cef6106337d7f5aea1b227b817b62b3dd255179d1c29b99aacc17a26d3a24802e6579d3e6d5e3d15a9617b84d0f3d5"},
	{"brainpoolP512r1", "sha512", "30819b301406072a8648ce3d020106092b240303020801010d03818200047c5c63124f1cebe3dac09c2113568d529b3ff3a84a61e5f73cb4f0f58a705b6505f1ab56adbc1286d38b4c9b3ec37b31f6206c7419e27b0f87b82300150776c326644d5777ae24e4febac6ab77d48b6d574bce51d6ac515bd4e964c56356d5aed88801e6f07599f5f14027e5d190909b2cfee3f43ad07155040904c61e3913ec", "2fb1cb0b84d4a28e708de7ab1ecb67e47fe57fce49cfd4649b6613b758d0dea533c9cffd7f1f39a09bfe0c7f89646af83a51a9bf912ac76115e1ba455c94caca", "1a1f00ae09da08e272b0aa3eb2bc19bceb2bbbaac948a77903d868913800e9551c84f1d060d99cb6b471e9b11eb64e45e2a5f9489ce13d512d6b1dfe5a4f848b"},
}

const brainpoolMessage = "obieg brainpool test vector"

func TestBrainpoolCurves(t *testing.T) {
	for oid, c := range brainpoolCurves {
		t.Run(c.name, func(t *testing.T) {
			if !c.onCurve(c.gx, c.gy) {
				t.Fatalf("%s (%s): got base point off the curve, want on it", c.name, oid)
			}
			if c.mul(&point{c.gx, c.gy}, c.n) != nil {
				t.Errorf("got n·G not at infinity, want infinity")
			}
		})
	}
}

func TestBrainpoolVectors(t *testing.T) {
	hashes := map[string]crypto.Hash{"sha256": crypto.SHA256, "sha384": crypto.SHA384, "sha512": crypto.SHA512}
	for _, v := range brainpoolVectors {
		spki, _ := hex.DecodeString(v.spki)
		var pk struct {
			Algorithm pkix.AlgorithmIdentifier
			Key       asn1.BitString
		}
		if _, err := asn1.Unmarshal(spki, &pk); err != nil {
			t.Fatalf("%s: parse SPKI: %v", v.curve, err)
		}
		var oid asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(pk.Algorithm.Parameters.FullBytes, &oid); err != nil {
			t.Fatalf("%s: parse curve: %v", v.curve, err)
		}
		c := brainpoolCurves[oid.String()]
		if c == nil || c.name != v.curve {
			t.Fatalf("%s: got curve %v for %s, want it known", v.curve, c, oid)
		}
		pt := pk.Key.Bytes
		x := new(big.Int).SetBytes(pt[1 : 1+c.byteLen])
		y := new(big.Int).SetBytes(pt[1+c.byteLen:])
		r, _ := new(big.Int).SetString(v.r, 16)
		s, _ := new(big.Int).SetString(v.s, 16)
		digest := digestOf(hashes[v.hash], []byte(brainpoolMessage))
		tests := []struct {
			name   string
			digest []byte
			r, s   *big.Int
			want   bool
		}{
			{"valid", digest, r, s, true},
			{"other message", digestOf(hashes[v.hash], []byte(brainpoolMessage+".")), r, s, false},
			{"r changed", digest, new(big.Int).Add(r, big.NewInt(1)), s, false},
			{"s changed", digest, r, new(big.Int).Add(s, big.NewInt(1)), false},
			{"r zero", digest, new(big.Int), s, false},
			{"s is n", digest, r, c.n, false},
		}
		for _, tt := range tests {
			t.Run(v.curve+"/"+tt.name, func(t *testing.T) {
				if got := c.verify(x, y, tt.digest, tt.r, tt.s); got != tt.want {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			})
		}
		t.Run(v.curve+"/point off the curve", func(t *testing.T) {
			if c.verify(x, new(big.Int).Add(y, big.NewInt(1)), digest, r, s) {
				t.Errorf("got true for a point off the curve, want false")
			}
		})
	}
}
