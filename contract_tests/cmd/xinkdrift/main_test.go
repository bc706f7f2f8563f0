package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const recordings = "../../testdata/recordings"

func TestCleanRecordingsExitZero(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-recordings", recordings}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d on the committed recordings; stdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "no drift") {
		t.Errorf("output does not say no drift:\n%s", out.String())
	}
}

func TestDriftExitsOneAndNamesTheField(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(recordings, "account_info.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Rename a response field: AccountId -> AccountGuid.
	data = bytes.Replace(data, []byte(`"AccountId"`), []byte(`"AccountGuid"`), 1)
	if err := os.WriteFile(filepath.Join(dir, "account_info.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"-recordings", dir}, &out, &errOut); code != 1 {
		t.Fatalf("exit %d, want 1; stdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{"getAccountInfo", "AccountInfoResult.AccountGuid", "field not in spec"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := run([]string{"-recordings", dir, "-unseen"}, &out, &errOut); code != 1 ||
		!strings.Contains(out.String(), "getAccountInfo         AccountInfoResult.AccountId") {
		t.Errorf("-unseen: exit %d; want 1 and the renamed AccountId listed as never seen:\n%s", code, out.String())
	}
	out.Reset()
	if code := run([]string{"-recordings", dir, "-json"}, &out, &errOut); code != 1 {
		t.Fatalf("-json: exit %d, want 1", code)
	}
	var rep struct {
		Findings []struct{ Operation, Kind, Path string }
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("-json output is not JSON: %v\n%s", err, out.String())
	}
	if len(rep.Findings) == 0 || rep.Findings[0].Path != "AccountInfoResult.AccountGuid" {
		t.Errorf("-json findings %+v", rep.Findings)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{"-provenance", "guessed", "-recordings", recordings},
		{"-recordings", t.TempDir()},
		{"-recordings", recordings, "extra"},
		{"-nosuchflag"},
		{"-spec", "/nonexistent.yaml", "-recordings", recordings},
	} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 2 || errOut.Len() == 0 {
			t.Errorf("run(%q) = %d with stderr %q; want 2 and a message", args, code, errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"-recordings", recordings, "-provenance", "live"}, &out, &errOut); code != 2 ||
		!strings.Contains(errOut.String(), "no cassettes") {
		t.Errorf("-provenance live with no live recordings: exit %d, stderr %q; want 2 and 'no cassettes'", code, errOut.String())
	}
}
