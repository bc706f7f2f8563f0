package xink

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// tinyPNG is a real 2x2 PNG.
var tinyPNG = func() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

// onlyReader hides Len, so the size guard must work while streaming.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

type uploadSeen struct {
	parts       []string // "name|filename|content-type"
	file        []byte
	contentType string
	chunked     bool
}

func uploadServer(t *testing.T) (*fakeXink, *atomic.Value) {
	f := newFakeXink(t)
	var seen atomic.Value
	f.handleAPI("POST /api/1.0/image/upload", func(w http.ResponseWriter, r *http.Request) {
		var s uploadSeen
		s.contentType = r.Header.Get("Content-Type")
		s.chunked = r.ContentLength == -1
		mt, params, err := mime.ParseMediaType(s.contentType)
		if err != nil || mt != "multipart/form-data" {
			writeJSON(w, 415, map[string]any{"Success": false, "Error": "not multipart"})
			return
		}
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				writeJSON(w, 400, map[string]any{"Success": false, "Error": err.Error()})
				return
			}
			b, _ := io.ReadAll(p)
			s.parts = append(s.parts, p.FormName()+"|"+p.FileName()+"|"+p.Header.Get("Content-Type"))
			if p.FormName() == "file" {
				s.file = b
			}
		}
		seen.Store(s)
		writeJSON(w, 200, map[string]any{"Success": true, "Image": map[string]any{"Id": 7, "Name": "logo", "ContentType": "image/png", "Size": len(s.file)}})
	})
	return f, &seen
}

func TestUploadImage_StreamsMultipartWithDetectedType(t *testing.T) {
	f, seen := uploadServer(t)
	c := f.client(t)
	img, err := c.UploadImage(context.Background(), `ü "logo".png`, onlyReader{bytes.NewReader(tinyPNG)}, WithImageName("Company logo"))
	if err != nil {
		t.Fatal(err)
	}
	if img.Id != 7 {
		t.Errorf("Id = %d", img.Id)
	}
	s := seen.Load().(uploadSeen)
	want := []string{"Name||", `file|ü "logo".png|image/png`}
	if strings.Join(s.parts, ";") != strings.Join(want, ";") {
		t.Errorf("parts = %q, want %q", s.parts, want)
	}
	if !bytes.Equal(s.file, tinyPNG) {
		t.Errorf("file bytes differ: got %d, want %d", len(s.file), len(tinyPNG))
	}
	if !s.chunked {
		t.Error("the body was buffered (Content-Length known), want a stream")
	}

	// Without WithImageName there is no Name part; a GIF is labelled as such.
	gif := append([]byte("GIF89a"), make([]byte, 20)...)
	if _, err := c.UploadImage(context.Background(), "a.gif", bytes.NewReader(gif)); err != nil {
		t.Fatal(err)
	}
	if s := seen.Load().(uploadSeen); len(s.parts) != 1 || s.parts[0] != "file|a.gif|image/gif" {
		t.Errorf("parts = %q", s.parts)
	}
}

func TestUploadImage_RefusesBeforeSending(t *testing.T) {
	f, _ := uploadServer(t)
	c := f.client(t)
	ctx := context.Background()
	cases := map[string]error{}
	_, cases["text"] = c.UploadImage(ctx, "a.png", strings.NewReader("hello, not an image"))
	_, cases["empty"] = c.UploadImage(ctx, "a.png", strings.NewReader(""))
	_, cases["no name"] = c.UploadImage(ctx, " ", bytes.NewReader(tinyPNG))
	_, cases["path name"] = c.UploadImage(ctx, "../a.png", bytes.NewReader(tinyPNG))
	_, cases["nil reader"] = c.UploadImage(ctx, "a.png", nil)
	_, cases["bad max"] = c.UploadImage(ctx, "a.png", bytes.NewReader(tinyPNG), WithMaxImageBytes(0))
	for name, err := range cases {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
	if !strings.Contains(cases["text"].Error(), `"text/plain; charset=utf-8"`) {
		t.Errorf("text: message %q does not name the detected type", cases["text"])
	}
	// Known length over the guard: refused before any request.
	_, err := c.UploadImage(ctx, "a.png", bytes.NewReader(tinyPNG), WithMaxImageBytes(int64(len(tinyPNG)-1)))
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("known length: err = %v, want ErrTooLarge", err)
	}
	if n := f.tokenHits.Load() + f.apiHits.Load(); n != 0 {
		t.Fatalf("%d requests sent, want 0", n)
	}
}

func TestUploadImage_SizeGuardWhileStreaming(t *testing.T) {
	f, seen := uploadServer(t)
	c := f.client(t)
	big := append(append([]byte{}, tinyPNG...), make([]byte, 100_000)...)
	_, err := c.UploadImage(context.Background(), "big.png", onlyReader{bytes.NewReader(big)}, WithMaxImageBytes(50_000))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if seen.Load() != nil {
		t.Fatal("the server accepted a complete upload")
	}
}
