package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSpecPaths(t *testing.T) {
	b, p := specPaths([]string{"--root", "/r", "--log", "/l", "create", "--bundle", "/b", "--pid-file", "/x", "id"})
	if b != "/b" || p != "" {
		t.Fatalf("create: %q %q", b, p)
	}
	b, p = specPaths([]string{"--root", "/r", "exec", "--process", "/p.json", "--detach", "id"})
	if b != "" || p != "/p.json" {
		t.Fatalf("exec: %q %q", b, p)
	}
	_, p = specPaths([]string{"exec", "-p", "/q.json", "id"})
	if p != "/q.json" {
		t.Fatalf("exec -p: %q", p)
	}
	b, _ = specPaths([]string{"run", "--bundle=/c", "id"})
	if b != "/c" {
		t.Fatalf("bundle=: %q", b)
	}
}

func TestPatchConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := `{"ociVersion":"1.0.2","process":{"oomScoreAdj":-998,"capabilities":{"bounding":["CAP_CHOWN","CAP_SYS_RESOURCE"],"effective":["CAP_SYS_RESOURCE"]},"args":["sh"]},"linux":{"big":12345678901234567890}}`
	path := filepath.Join(dir, "config.json")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := patchFile(path, true); err != nil {
		t.Fatal(err)
	}
	out, _ := os.ReadFile(path)
	s := string(out)
	if strings.Contains(s, "CAP_SYS_RESOURCE") || !strings.Contains(s, "CAP_CHOWN") {
		t.Fatalf("caps not patched: %s", s)
	}
	if !strings.Contains(s, `"oomScoreAdj":0`) || !strings.Contains(s, "12345678901234567890") {
		t.Fatalf("numbers: %s", s)
	}
	var v map[string]any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
}

func TestPatchProcessFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.json")
	os.WriteFile(path, []byte(`{"args":["ls"],"capabilities":{"ambient":["CAP_SYS_RESOURCE","CAP_NET_ADMIN"]},"oomScoreAdj":5}`), 0o600)
	if err := patchFile(path, false); err != nil {
		t.Fatal(err)
	}
	out, _ := os.ReadFile(path)
	if strings.Contains(string(out), "CAP_SYS_RESOURCE") || !strings.Contains(string(out), `"oomScoreAdj":5`) {
		t.Fatalf("process: %s", out)
	}
}
