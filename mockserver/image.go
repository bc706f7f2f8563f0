package mockserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

// maxImageName caps the "Name" part of an upload.
const maxImageName = 1024

// imageTypes are the content types the mock stores (judged by content, not by headers).
var imageTypes = []string{"image/png", "image/jpeg", "image/gif"}

// imageFolder is the <folder> segment of an account's image URLs.
func imageFolder(accountID string) string {
	f := strings.ReplaceAll(accountID, "-", "")
	if len(f) > 8 {
		f = f[:8]
	}
	return f
}

// safeName keeps letters, digits, dot, dash and underscore, so a stored name can never
// escape its URL segment.
func safeName(name string) string {
	var b strings.Builder
	for _, r := range path.Base(strings.ReplaceAll(name, `\`, "/")) {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if s == "" {
		s = "image"
	}
	return s
}

func imageFile(im *image) string { return fmt.Sprintf("%d-%s", im.Id, safeName(im.Name)) }

func (s *Server) imageView(base, accountID string, im *image) xinkserver.Image {
	return xinkserver.Image{
		Id:          im.Id,
		Name:        nullIfEmpty(im.Name),
		ContentType: nullIfEmpty(im.ContentType),
		Size:        ptr(int64(len(im.Data))),
		Url:         nval(base + ImgPath + "/Images/Get/" + imageFolder(accountID) + "/" + imageFile(im)),
		Created:     nullIfEmpty(im.Created),
	}
}

// ListImages implements GET /api/1.0/image/list (ordered by id).
func (s *Server) ListImages(ctx context.Context, _ xinkserver.ListImagesRequestObject) (xinkserver.ListImagesResponseObject, error) {
	rs := stateFrom(ctx)
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	base := s.baseURL(rs.r)
	out := make([]xinkserver.Image, 0, len(a.images))
	for _, id := range a.sortedImageIDs() {
		out = append(out, s.imageView(base, a.id, a.images[id]))
	}
	return xinkserver.ListImages200JSONResponse{Success: true, Images: nval(out)}, nil
}

// UploadImage implements POST /api/1.0/image/upload: multipart with a "file" part and an
// optional "Name" part. The type is sniffed from the bytes (PNG, JPEG or GIF, else 415);
// more than the upload limit gives 413.
func (s *Server) UploadImage(ctx context.Context, req xinkserver.UploadImageRequestObject) (xinkserver.UploadImageResponseObject, error) {
	rs := stateFrom(ctx)
	bad := func(msg string) (xinkserver.UploadImageResponseObject, error) {
		return xinkserver.UploadImage400JSONResponse{BadRequestJSONResponse: badRequest(msg)}, nil
	}
	tooLarge := func() (xinkserver.UploadImageResponseObject, error) {
		return xinkserver.UploadImage413JSONResponse{PayloadTooLargeJSONResponse: xinkserver.PayloadTooLargeJSONResponse(envelope(fmt.Sprintf("the image is larger than %d bytes", s.cfg.maxUploadBytes)))}, nil
	}
	if req.Body == nil {
		return bad("request body: multipart/form-data with a \"file\" part is required")
	}
	var (
		data     []byte
		haveFile bool
		haveName bool
		fileName string
		name     string
	)
	for {
		part, err := req.Body.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return tooLarge()
			}
			return bad("request body: malformed multipart: " + err.Error())
		}
		switch part.FormName() {
		case "file":
			if haveFile {
				return bad(`request body: field "file": more than one file part`)
			}
			haveFile, fileName = true, part.FileName()
			data, err = io.ReadAll(io.LimitReader(part, s.cfg.maxUploadBytes+1))
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return tooLarge()
				}
				return bad(`request body: field "file": ` + err.Error())
			}
			if int64(len(data)) > s.cfg.maxUploadBytes {
				return tooLarge()
			}
		case "Name":
			if haveName {
				return bad(`request body: field "Name": more than one Name part`)
			}
			haveName = true
			b, err := io.ReadAll(io.LimitReader(part, maxImageName+1))
			if err != nil {
				return bad(`request body: field "Name": ` + err.Error())
			}
			if len(b) > maxImageName {
				return bad(fmt.Sprintf(`request body: field "Name": longer than %d bytes`, maxImageName))
			}
			if !utf8.Valid(b) {
				return bad(`request body: field "Name": not UTF-8 text`)
			}
			name = strings.TrimSpace(string(b))
		default:
			return bad(fmt.Sprintf("request body: unknown part %q (expected \"file\" and optionally \"Name\")", part.FormName()))
		}
		_ = part.Close()
	}
	if !haveFile {
		return bad(`request body: field "file": is missing`)
	}
	if len(data) == 0 {
		return bad(`request body: field "file": is empty`)
	}
	sniffed := http.DetectContentType(data)
	if !slices.Contains(imageTypes, sniffed) {
		return xinkserver.UploadImage415JSONResponse{UnsupportedMediaTypeJSONResponse: xinkserver.UnsupportedMediaTypeJSONResponse(envelope(fmt.Sprintf("the file is not a PNG, JPEG or GIF image (content looks like %q)", sniffed)))}, nil
	}
	if name == "" {
		name = path.Base(strings.ReplaceAll(fileName, `\`, "/"))
	}
	if name == "" || name == "." || name == "/" {
		name = "image"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	im := &image{SeedImage{Id: a.nextImg, Name: name, ContentType: sniffed, Data: data, Created: s.stamp()}}
	a.nextImg++
	a.images[im.Id] = im
	return xinkserver.UploadImage200JSONResponse{Success: true, Image: ptr(s.imageView(s.baseURL(rs.r), a.id, im))}, nil
}

// DeleteImage implements DELETE /api/1.0/image/{imageId}; its URL stops serving it.
func (s *Server) DeleteImage(ctx context.Context, req xinkserver.DeleteImageRequestObject) (xinkserver.DeleteImageResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	if a.images[req.ImageId] == nil {
		return xinkserver.DeleteImage404JSONResponse{NotFoundJSONResponse: notFound(fmt.Sprintf("image %d not found", req.ImageId))}, nil
	}
	delete(a.images, req.ImageId)
	return xinkserver.DeleteImage200JSONResponse{OkJSONResponse: ok()}, nil
}

// serveImage answers GET <ImgRoot>/Images/Get/<folder>/<file> with the stored bytes and their
// sniffed type. No token is needed (images are embedded in mail).
func (s *Server) serveImage(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeEnvelope(w, http.StatusMethodNotAllowed, "images are read with GET")
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, ImgPath+"/Images/Get/")
	folder, file, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || strings.Contains(file, "/") {
		writeEnvelope(w, http.StatusNotFound, "no image at "+truncate(r.URL.EscapedPath()))
		return
	}
	idText, _, _ := strings.Cut(file, "-")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		writeEnvelope(w, http.StatusNotFound, "no image at "+truncate(r.URL.EscapedPath()))
		return
	}
	s.mu.RLock()
	var found *image
	for _, a := range s.st.accounts {
		if imageFolder(a.id) == folder {
			if im := a.images[id]; im != nil && imageFile(im) == file {
				found = im
			}
		}
	}
	var data []byte
	var ctype string
	if found != nil {
		data, ctype = found.Data, found.ContentType
	}
	s.mu.RUnlock()
	if found == nil {
		writeEnvelope(w, http.StatusNotFound, "no image at "+truncate(r.URL.EscapedPath()))
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(data)
	}
}
