// Command runc-shim is kconform's runc wrapper for hosts whose capability
// bounding set lacks CAP_SYS_RESOURCE (some sandboxes). Docker 20.10 asks runc
// for every capability for privileged containers and `docker exec
// --privileged`, and runc then fails with "unable to apply caps: operation not
// permitted"; a negative oom_score_adj fails the same way.
//
// Before exec'ing the real runc with unchanged arguments, it edits the OCI
// spec that runc is about to read:
//   - `--bundle DIR` / `-b DIR`: DIR/config.json (process.*)
//   - `--process FILE` / `-p FILE` (runc exec): FILE (a bare process object)
// It removes CAP_SYS_RESOURCE from every process.capabilities list and clamps
// a negative oomScoreAdj to 0. Nothing else is changed.
//
// The real runc is KCONFORM_REAL_RUNC, else the path stamped at build time
// (-X main.realRunc=...), else the first runc on PATH that is not this file.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

var realRunc = "/usr/sbin/runc"

const dropCap = "CAP_SYS_RESOURCE"

func main() {
	args := os.Args[1:]
	bundle, process := specPaths(args)
	if bundle != "" {
		if err := patchFile(filepath.Join(bundle, "config.json"), true); err != nil {
			fmt.Fprintf(os.Stderr, "kconform runc-shim: %v\n", err)
		}
	}
	if process != "" {
		if err := patchFile(process, false); err != nil {
			fmt.Fprintf(os.Stderr, "kconform runc-shim: %v\n", err)
		}
	}
	target := findRunc()
	argv := append([]string{"runc"}, args...)
	if err := syscall.Exec(target, argv, os.Environ()); err != nil {
		fmt.Fprintf(os.Stderr, "kconform runc-shim: exec %s: %v\n", target, err)
		os.Exit(127)
	}
}

// specPaths finds the --bundle and --process values in runc's command line.
// -p means --process only for the exec subcommand.
func specPaths(args []string) (bundle, process string) {
	sub := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		val := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "--bundle" || a == "-bundle" || a == "-b":
			bundle = val()
		case strings.HasPrefix(a, "--bundle="):
			bundle = strings.TrimPrefix(a, "--bundle=")
		case a == "--process" || a == "-process" || (a == "-p" && sub == "exec"):
			process = val()
		case strings.HasPrefix(a, "--process="):
			process = strings.TrimPrefix(a, "--process=")
		case !strings.HasPrefix(a, "-") && sub == "":
			sub = a
		}
	}
	return bundle, process
}

func patchFile(path string, isConfig bool) error {
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	proc := doc
	if isConfig {
		p, ok := doc["process"].(map[string]any)
		if !ok {
			return nil
		}
		proc = p
	}
	if !patchProcess(proc) {
		return nil
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp := path + ".kconform-tmp"
	if err := os.WriteFile(tmp, out, st.Mode().Perm()); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// patchProcess edits an OCI process object in place and reports a change.
func patchProcess(proc map[string]any) bool {
	changed := false
	if caps, ok := proc["capabilities"].(map[string]any); ok {
		for k, v := range caps {
			list, ok := v.([]any)
			if !ok {
				continue
			}
			kept := make([]any, 0, len(list))
			for _, c := range list {
				if s, ok := c.(string); ok && s == dropCap {
					changed = true
					continue
				}
				kept = append(kept, c)
			}
			caps[k] = kept
		}
	}
	if n, ok := proc["oomScoreAdj"].(json.Number); ok {
		if v, err := n.Int64(); err == nil && v < 0 {
			proc["oomScoreAdj"] = json.Number("0")
			changed = true
		}
	}
	return changed
}

func findRunc() string {
	if p := os.Getenv("KCONFORM_REAL_RUNC"); p != "" {
		return p
	}
	self, _ := os.Executable()
	if self != "" {
		if r, err := filepath.EvalSymlinks(self); err == nil {
			self = r
		}
	}
	isSelf := func(p string) bool {
		r, err := filepath.EvalSymlinks(p)
		return err == nil && r == self
	}
	if realRunc != "" {
		if _, err := os.Stat(realRunc); err == nil && !isSelf(realRunc) {
			return realRunc
		}
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, "runc")
		if st, err := os.Stat(p); err == nil && !st.IsDir() && !isSelf(p) {
			return p
		}
	}
	if p, err := exec.LookPath("runc"); err == nil {
		return p
	}
	return realRunc
}
