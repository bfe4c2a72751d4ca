package voice

import "os"

// writeTemp writes data to a new file in dir (the system's temp dir when
// empty) named after pattern, for tools that need a file rather than a
// pipe, and returns its name. The caller removes it.
func writeTemp(dir, pattern string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(f.Name())
		return "", werr
	}
	return f.Name(), nil
}
