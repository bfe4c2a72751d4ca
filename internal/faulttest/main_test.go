package faulttest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binary is the perfbot built for this run of the tests.
var binary string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "perfbot-faulttest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "faulttest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "perfbot")
	// Without -race: the child is what is broken, not what is checked, and
	// a race build of it would be slow on a small machine.
	build := exec.Command("go", "build", "-o", binary, "github.com/perfbot/perfbot/cmd/perfbot")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "faulttest: build perfbot:", err)
		return 1
	}
	return m.Run()
}
