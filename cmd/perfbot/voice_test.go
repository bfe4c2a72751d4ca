package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// executable writes a shell script called name into dir.
func executable(t *testing.T, dir, name, script string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\n"+script+"\n"), 0o755))
	return path
}

func TestFindRecognizer(t *testing.T) {
	bin, home := t.TempDir(), t.TempDir()
	env := func(k string) string { return map[string]string{"PATH": "/nonexistent:" + bin, "HOME": home}[k] }
	require.Empty(t, findRecognizer(env), "nothing installed")

	whisper := executable(t, bin, "whisper-cli", "exit 0")
	require.Empty(t, findRecognizer(env), "whisper-cli without a model cannot run")
	models := filepath.Join(home, ".local", "share", "whisper.cpp")
	require.NoError(t, os.MkdirAll(models, 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(models, "ggml-base.bin"), []byte("model"), 0o600))
	require.Equal(t, whisper+" -m "+filepath.Join(models, "ggml-base.bin")+" -l {lang} -nt -np -f {wav}", findRecognizer(env))

	continuous := executable(t, bin, "pocketsphinx_continuous", "exit 0")
	require.Equal(t, continuous+" -infile {wav} -logfn /dev/null", findRecognizer(env), "pocketsphinx before whisper")
	require.NoError(t, os.WriteFile(filepath.Join(bin, "pocketsphinx"), []byte("not executable"), 0o600))
	require.Equal(t, continuous+" -infile {wav} -logfn /dev/null", findRecognizer(env), "a file that is not executable is not a recogniser")
}

// The demo transcribes with a recogniser installed on the machine when
// none is configured.
func TestDemoUsesAnInstalledRecognizer(t *testing.T) {
	audio := sineWAV(t)
	bin := t.TempDir()
	// Stands in for Debian's pocketsphinx_continuous; it reads the WAV it is given.
	fake := executable(t, bin, "pocketsphinx_continuous", `test -s "$2" || exit 1
echo this week I finished the billing migration. next week I will start the dashboard.`)
	vars := sqliteVars(t)
	vars["PATH"] = bin
	s := start(t, vars, "demo")
	const who = "jonas"
	s.click(who, "Start")
	s.voice(who, audio)
	var card simEntry
	require.Eventually(t, func() bool { card = s.last(who); return card.Title == "Here's what I heard" }, 20*time.Second, 50*time.Millisecond)
	require.Contains(t, card.Fields[0].Value, "finished the billing migration")
	require.Equal(t, 0, s.stop())
	require.Contains(t, s.stderr.String(), `"msg":"voice notes: transcribing with the recogniser installed here","command":"`+fake+` -infile {wav} -logfn /dev/null"`)
}

// Without any recogniser, a voice note is answered with what voice needs,
// in the person's language, not with "try again later".
func TestDemoVoiceWithoutRecognizerSaysWhatItNeeds(t *testing.T) {
	audio := sineWAV(t)
	vars := sqliteVars(t)
	vars["PATH"] = t.TempDir() // nothing installed
	s := start(t, vars, "demo")
	for who, want := range map[string]string{
		"jonas":     "no speech recogniser is set up",
		"zhang.min": "没有配置语音识别",
	} {
		s.voice(who, audio)
		var text string
		require.Eventually(t, func() bool {
			for _, e := range s.dm(who) {
				if strings.Contains(e.Text, "PERFBOT_VOICE_ASR_COMMAND") {
					text = e.Text
					return true
				}
			}
			return false
		}, 20*time.Second, 50*time.Millisecond, who)
		require.Contains(t, text, want, who)
		require.Contains(t, text, "PERFBOT_VOICE_ASR_URL", who)
		require.NotContains(t, text, "later", who)
		require.NotContains(t, text, "稍后", who)
	}
	require.Equal(t, 0, s.stop())
}
