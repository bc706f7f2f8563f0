package xink_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"log"
	"net/http/httptest"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/xink"
)

// startMock runs xinkmock in-process for the examples and returns its URL and a stop function.
func startMock() (string, func()) {
	ts := httptest.NewUnstartedServer(nil)
	ts.Start()
	srv, err := mockserver.New(mockserver.WithBaseURL(ts.URL))
	if err != nil {
		log.Fatal(err)
	}
	ts.Config.Handler = srv
	return ts.URL, ts.Close
}

func Example() {
	mockURL, stop := startMock()
	defer stop()
	ctx := context.Background()

	c, err := xink.NewClient(ctx,
		xink.WithCredentials(mockserver.DemoClientID, mockserver.DemoClientSecret),
		xink.WithAuthURL(mockURL), // leave out to use https://auth.xink.io
	)
	if err != nil {
		log.Fatal(err)
	}
	fields, err := c.GetEmployeeFields(ctx, "zoe.ostergaard@example.com")
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range fields[:4] {
		v, _ := f.Value.Get()
		fmt.Printf("%s: %s\n", f.Name, v)
	}
	// Output:
	// Email: zoe.ostergaard@example.com
	// FirstName: Zoë
	// LastName: Østergaard
	// DisplayName: Zoë Østergaard
}

func ExampleClient_Employees() {
	mockURL, stop := startMock()
	defer stop()
	ctx := context.Background()
	c, err := xink.NewClient(ctx,
		xink.WithCredentials(mockserver.DemoClientID, mockserver.DemoClientSecret),
		xink.WithAuthURL(mockURL),
		xink.WithPageSize(10), // three requests for the mock's 25 employees
	)
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for e, err := range c.Employees(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		if n < 2 {
			fmt.Println(e.Email)
		}
		n++
	}
	fmt.Println(n, "employees")
	// Output:
	// zoe.ostergaard@example.com
	// hanako.tanaka@example.com
	// 25 employees
}

func ExampleError() {
	mockURL, stop := startMock()
	defer stop()
	ctx := context.Background()
	c, err := xink.NewClient(ctx,
		xink.WithCredentials(mockserver.DemoClientID, mockserver.DemoClientSecret),
		xink.WithAuthURL(mockURL),
		xink.WithScopes(xink.ScopeEmployeeRead), // not enough to read field values
	)
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.GetEmployeeFields(ctx, "zoe.ostergaard@example.com")
	var xe *xink.Error
	if errors.As(err, &xe) && errors.Is(err, xink.ErrForbidden) {
		fmt.Println(xe.StatusCode, "needs scope", xe.Scope)
	}
	_, err = c.GetEmployee(ctx, "nobody@example.com")
	fmt.Println(errors.Is(err, xink.ErrNotFound))
	// Input that cannot be sent safely never leaves the client.
	_, err = c.GetEmployee(ctx, "a/b@example.com")
	fmt.Println(err)
	// Output:
	// 403 needs scope employeefieldsread
	// true
	// xink: getEmployee: invalid email: "a/b@example.com" contains a slash, which cannot be sent in a URL path
}

func ExampleClient_UploadImage() {
	mockURL, stop := startMock()
	defer stop()
	ctx := context.Background()
	c, err := xink.NewClient(ctx,
		xink.WithCredentials(mockserver.DemoClientID, mockserver.DemoClientSecret),
		xink.WithAuthURL(mockURL),
	)
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		log.Fatal(err)
	}
	img, err := c.UploadImage(ctx, "logo.png", &buf, xink.WithImageName("Logo"))
	if err != nil {
		log.Fatal(err)
	}
	ct, _ := img.ContentType.Get()
	name, _ := img.Name.Get()
	fmt.Println(name, ct)
	// Output: Logo image/png
}

func ExampleNewClient_dataCenter() {
	// A pinned data center skips discovery; options are checked at once.
	_, err := xink.NewClient(context.Background(),
		xink.WithCredentials("b6b5a1c3-8e07-409f-8014-e9207b83e442@SRV", "secret"),
		xink.WithDataCenter("MARS"))
	fmt.Println(err)
	// Output: xink: WithDataCenter: unknown data center "MARS" (known: US, EU, UK, CA, AU)
}
