package trust

import (
	"testing"
	"time"
)

// FuzzParse feeds arbitrary documents to Parse and the queries on its
// result: errors are fine, panics are not.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"><SchemeInformation><ListIssueDateTime>2023-09-19T08:03:51Z</ListIssueDateTime></SchemeInformation></TrustServiceStatusList>`))
	f.Add([]byte(`<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"><SchemeInformation><ListIssueDateTime>2023-09-19T08:03:51Z</ListIssueDateTime><PointersToOtherTSL><OtherTSLPointer><TSLLocation>x</TSLLocation></OtherTSLPointer></PointersToOtherTSL></SchemeInformation><TrustServiceProviderList><TrustServiceProvider><TSPServices><TSPService><ServiceInformation><ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</ServiceTypeIdentifier><ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted</ServiceStatus><StatusStartingTime>2016-06-30T22:00:00Z</StatusStartingTime></ServiceInformation></TSPService></TSPServices></TrustServiceProvider></TrustServiceProviderList></TrustServiceStatusList>`))
	at := time.Date(2023, 9, 19, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, doc []byte) {
		l, err := Parse(doc)
		if err != nil {
			return
		}
		l.Anchors(at)
		l.Pointer("PL")
	})
}
