package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/perfbot/perfbot"

// rule forbids packages at or under from to import to or a package under it,
// except the packages at or under one of except.
type rule struct {
	from, to string
	except   []string
	why      string
}

var rules = []rule{
	{from: "internal", to: "conversations", except: []string{"internal/engine", "internal/enginetest"},
		why: "only the engine steps the flows"},
	{from: "adapters", to: "internal/store", why: "adapters translate; internal/directory and the engine write the store"},
	{from: "adapters", to: "scheduler", why: "adapters translate; the scheduler plans"},
	{from: "internal/config", to: "conversations", why: "config holds plain settings; cmd/perfbot maps them onto the flows"},
	{from: "internal/config", to: "internal/hook", why: "config holds plain settings; cmd/perfbot maps them onto hook.Options"},
	{from: "internal/orgfile", to: "scheduler", why: "cadences are parsed by internal/cadence"},
	{from: "conversations", to: "internal/hook", why: "business-event kinds are read from internal/eventkind"},
}

// pkg is what the test reads of `go list -json`.
type pkg struct {
	ImportPath string
	Imports    []string
	Module     *struct{ Path string }
}

func TestImportsFollowTheFlow(t *testing.T) {
	pkgs := list(t)
	require.NotEmpty(t, pkgs)
	v := violations(pkgs)
	require.Empty(t, v, "imports against the flow:\n%s", strings.Join(v, "\n"))
}

// TestViolations shows the check catches an edge it should, and names it.
func TestViolations(t *testing.T) {
	pkgs := []pkg{
		{ImportPath: module + "/adapters/slack", Imports: []string{"context", module + "/bot", module + "/internal/store/sqlstore"}},
		{ImportPath: module + "/internal/engine", Imports: []string{module + "/conversations"}},
		{ImportPath: module + "/internal/enginetest", Imports: []string{module + "/conversations"}},
		{ImportPath: module + "/internal/orgfile", Imports: []string{module + "/internal/cadence"}},
		{ImportPath: module + "/internal/voice", Imports: []string{module + "/conversations"}},
		{ImportPath: module + "/internal/configx", Imports: []string{module + "/internal/hookx"}},
	}
	require.Equal(t, []string{
		module + "/adapters/slack -> " + module + "/internal/store/sqlstore: adapters translate; internal/directory and the engine write the store",
		module + "/internal/voice -> " + module + "/conversations: only the engine steps the flows",
	}, violations(pkgs))
}

// violations returns one line per import of pkgs that breaks a rule.
func violations(pkgs []pkg) []string {
	var out []string
	for _, p := range pkgs {
		from, ok := strings.CutPrefix(p.ImportPath, module+"/")
		if !ok {
			continue
		}
		for _, imp := range p.Imports {
			to, ok := strings.CutPrefix(imp, module+"/")
			if !ok {
				continue
			}
			for _, r := range rules {
				if r.breaks(from, to) {
					out = append(out, fmt.Sprintf("%s -> %s: %s", p.ImportPath, imp, r.why))
				}
			}
		}
	}
	return out
}

func (r rule) breaks(from, to string) bool {
	if !within(from, r.from) || !within(to, r.to) {
		return false
	}
	for _, e := range r.except {
		if within(from, e) {
			return false
		}
	}
	return true
}

// within reports whether path is dir or under it.
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+"/")
}

// list runs go list over the whole module. Only non-test imports count: test
// harnesses such as internal/enginetest open real stores on purpose.
func list(t *testing.T) []pkg {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	cmd := exec.CommandContext(t.Context(), "go", "list", "-deps", "-json=ImportPath,Imports,Module", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", stderr.String())
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		if p.Module != nil && p.Module.Path == module {
			pkgs = append(pkgs, p)
		}
	}
	return pkgs
}
