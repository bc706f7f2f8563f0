package xink

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"unicode"

	"github.com/xink-go/xink-go/generated/xinkapi"
)

// DefaultMaxImageBytes is the upload size guard unless WithMaxImageBytes changes it (5 MiB).
const DefaultMaxImageBytes = 5 << 20

// UploadOption configures one UploadImage call.
type UploadOption func(*uploadConfig) error

type uploadConfig struct {
	name     string
	maxBytes int64
}

// WithImageName sets the image's name (the multipart Name part); Xink defaults it to the file
// name.
func WithImageName(name string) UploadOption {
	return func(u *uploadConfig) error {
		if strings.TrimSpace(name) == "" || strings.IndexFunc(name, unicode.IsControl) >= 0 {
			return &ArgumentError{Operation: "uploadImage", Field: "name", Reason: "must be non-empty text without control characters"}
		}
		u.name = name
		return nil
	}
}

// WithMaxImageBytes sets the size guard: an image larger than n bytes is refused, before
// sending when the reader's length is known, otherwise while streaming.
func WithMaxImageBytes(n int64) UploadOption {
	return func(u *uploadConfig) error {
		if n < 1 {
			return &ArgumentError{Operation: "uploadImage", Field: "maxBytes", Reason: fmt.Sprintf("must be 1 or more, got %d", n)}
		}
		u.maxBytes = n
		return nil
	}
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// imageTypes are the content types Xink accepts, as http.DetectContentType names them.
var imageTypes = []string{"image/png", "image/jpeg", "image/gif"}

// UploadImage uploads an image (operation uploadImage, POST /api/1.0/image/upload). The
// content is streamed from r as multipart/form-data: a "file" part named fileName whose
// Content-Type is detected from the first 512 bytes (PNG, JPEG or GIF; anything else is
// refused before sending), and an optional "Name" part (WithImageName). An image larger than
// the size guard (WithMaxImageBytes, default 5 MiB) fails with an error matching ErrTooLarge.
// Uploads are POSTs and are never retried.
func (c *Client) UploadImage(ctx context.Context, fileName string, r io.Reader, opts ...UploadOption) (*Image, error) {
	const op = "uploadImage"
	uc := uploadConfig{maxBytes: DefaultMaxImageBytes}
	for _, o := range opts {
		if o == nil {
			return nil, &ArgumentError{Operation: op, Field: "opts", Reason: "nil UploadOption"}
		}
		if err := o(&uc); err != nil {
			return nil, err
		}
	}
	if strings.TrimSpace(fileName) == "" || strings.IndexFunc(fileName, unicode.IsControl) >= 0 || strings.ContainsAny(fileName, `/\`) {
		return nil, &ArgumentError{Operation: op, Field: "fileName", Reason: fmt.Sprintf("%q must be a plain, non-empty file name", fileName)}
	}
	if r == nil {
		return nil, &ArgumentError{Operation: op, Field: "r", Reason: "nil reader"}
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, wrapOp(op, fmt.Errorf("reading the image: %w", err))
	}
	head = head[:n]
	if n == 0 {
		return nil, &ArgumentError{Operation: op, Field: "r", Reason: "the image is empty"}
	}
	ct := http.DetectContentType(head)
	if !contains(imageTypes, ct) {
		return nil, &ArgumentError{Operation: op, Field: "r", Reason: fmt.Sprintf("content looks like %q, not a PNG, JPEG or GIF image", ct)}
	}
	tooLarge := &opError{op: op, err: fmt.Errorf("%w: the image is larger than %d bytes", ErrTooLarge, uc.maxBytes)}
	if l, ok := r.(interface{ Len() int }); ok && int64(n)+int64(l.Len()) > uc.maxBytes {
		return nil, tooLarge
	}
	if int64(n) > uc.maxBytes {
		return nil, tooLarge
	}

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	writeErr := make(chan error, 1)
	go func() {
		err := func() error {
			if uc.name != "" {
				if err := mw.WriteField("Name", uc.name); err != nil {
					return err
				}
			}
			h := make(textproto.MIMEHeader)
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, quoteEscaper.Replace(fileName)))
			h.Set("Content-Type", ct)
			part, err := mw.CreatePart(h)
			if err != nil {
				return err
			}
			written, err := io.Copy(part, io.LimitReader(io.MultiReader(bytes.NewReader(head), r), uc.maxBytes+1))
			if err != nil {
				return err
			}
			if written > uc.maxBytes {
				return tooLarge
			}
			return mw.Close()
		}()
		writeErr <- err
		pw.CloseWithError(err) // nil closes normally
	}()

	res, err := apiCall[xinkapi.ImageResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.UploadImageWithBody(ctx, mw.FormDataContentType(), pr, acceptJSON)
	})
	pr.CloseWithError(errors.New("xink: upload finished")) // unblock the writer if the request ended early
	werr := <-writeErr
	if errors.Is(werr, ErrTooLarge) {
		return nil, tooLarge
	}
	if err != nil {
		return nil, err
	}
	if res.Image == nil {
		return nil, missing(op, "Image")
	}
	return res.Image, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
