package activities

import (
	"context"
	"errors"
	"testing"

	"github.com/obieg/obieg/internal/dev/devstack/stacktest"
)

func TestMain(m *testing.M) { stacktest.Main(m) }

// onceRepo serves each file once, as ePUAP's FileRepo may, and counts the downloads.
type onceRepo struct {
	files      map[string][]byte
	downloaded map[string]int
}

func (r *onceRepo) Download(_ context.Context, id string) ([]byte, error) {
	r.downloaded[id]++
	if r.downloaded[id] > 1 {
		return nil, errors.New("file already downloaded")
	}
	return r.files[id], nil
}

// TestStoreAttachmentsRepeated checks that a repeated attempt (an activity retried after a
// crash) finds the attachment it stored instead of asking FileRepo, which would refuse.
func TestStoreAttachmentsRepeated(t *testing.T) {
	s3, bucket := stacktest.Blob(t, false)
	repo := &onceRepo{files: map[string][]byte{"77": []byte("%PDF-1.7 skan")}, downloaded: map[string]int{}}
	a := &Intake{Blob: s3, RawBucket: bucket, Files: repo}
	doc := []byte(`<w:D xmlns:w="http://crd.gov.pl/wzor/2013/12/12/1410/" xmlns:str="http://crd.gov.pl/xml/schematy/struktura/2009/11/16/">
<str:Zalacznik format="application/pdf" kodowanie="URI" nazwaPliku="skan.pdf"><str:DaneZalacznika>https://epuap.gov.pl/file-download-servlet/DownloadServlet?fileId=77</str:DaneZalacznika></str:Zalacznik></w:D>`)
	first, err := a.storeAttachments(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	again, err := a.storeAttachments(context.Background(), doc)
	if err != nil {
		t.Fatalf("a repeated attempt failed: %v", err)
	}
	if len(first) != 1 || len(again) != 1 || first[0].Raw != again[0].Raw || first[0].Raw.Size != int64(len("%PDF-1.7 skan")) {
		t.Errorf("got %+v then %+v", first, again)
	}
	if repo.downloaded["77"] != 1 {
		t.Errorf("FileRepo asked %d times, want once", repo.downloaded["77"])
	}
}
