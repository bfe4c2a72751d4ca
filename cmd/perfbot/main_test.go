package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/testdb"
	"github.com/perfbot/perfbot/internal/testredis"
)

// lockedBuffer is an io.Writer safe to read while the command writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// perfbot runs one command in-process with vars as its whole environment.
func perfbot(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb lockedBuffer
	env := environment{args: args, stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }, clock: time.Now}
	code = run(context.Background(), env)
	return code, out.String(), errb.String()
}

// sqliteVars configure an empty SQLite database (an empty file is one),
// which any command migrates.
func sqliteVars(t *testing.T) map[string]string {
	vars := noDatabaseVars(t)
	path := strings.TrimPrefix(vars["PERFBOT_DATABASE_URL"], "sqlite:")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o750))
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	return vars
}

// noDatabaseVars configure a SQLite database that is not there yet.
func noDatabaseVars(t *testing.T) map[string]string {
	return map[string]string{"PERFBOT_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "data", "perfbot.db")}
}

func TestUsage(t *testing.T) {
	code, _, stderr := perfbot(t, nil, "frobnicate")
	require.Equal(t, 2, code)
	require.Equal(t, "perfbot: unknown command \"frobnicate\"\nrun `perfbot help` for the commands\n", stderr)
	code, stdout, _ := perfbot(t, nil, "help")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "perfbot org import ")
	require.Contains(t, stdout, "perfbot team set ")
	code, _, stderr = perfbot(t, nil)
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "Commands:", "perfbot alone lists the commands")
	code, _, stderr = perfbot(t, sqliteVars(t), "checkin", "open", "--period", "2026-48")
	require.Equal(t, 2, code)
	require.Equal(t, "perfbot checkin open: --period \"2026-48\" is not an ISO week like 2026-W48\n"+
		"run `perfbot checkin open --help` for its usage\n", stderr, "one line and a hint, not the whole usage")
	code, _, stderr = perfbot(t, nil, "org", "sync", "teams")
	require.Equal(t, 2, code)
	require.Equal(t, "perfbot: unknown command \"org sync teams\"\nrun `perfbot org sync` for its commands\n", stderr)
	for _, platform := range []string{"slack", "wecom", "dingtalk"} {
		code, _, stderr = perfbot(t, sqliteVars(t), "org", "sync", platform)
		require.Equal(t, 1, code, platform)
		require.Contains(t, strings.ToLower(stderr), platform+" is not configured", platform)
	}
}

func TestBadConfigurationNamesTheVariable(t *testing.T) {
	code, _, stderr := perfbot(t, map[string]string{"PERFBOT_DATABASE_URL": "mysql://root:hunter2@db/x"}, "migrate")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "PERFBOT_DATABASE_URL")
	require.NotContains(t, stderr, "hunter2", "a password never reaches the output")
}

const orgCSV = "email,name,locale,timezone,roles,manager_email,team,goals,simulator\n" +
	"lead@example.com,Lead,en,Europe/Berlin,manager,,Core,,lead\n" +
	"dev@example.com,开发者,zh-CN,Asia/Shanghai,employee,lead@example.com,Core,Ship v2,dev\n"

func TestImportOpenAndExport(t *testing.T) {
	vars := sqliteVars(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "org.csv")
	require.NoError(t, os.WriteFile(good, []byte(orgCSV), 0o600))
	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte(orgCSV+"x@example.com,X,en,Mars/Base,employee,,Core,,x\n"), 0o600))

	code, _, stderr := perfbot(t, vars, "org", "import", bad)
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "nothing was imported")
	require.Contains(t, stderr, "line 4")

	code, stdout, stderr := perfbot(t, vars, "org", "import", good)
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "imported "+good+": 2 people created, 0 updated, 0 unchanged, 1 team created\n", stdout)

	code, stdout, stderr = perfbot(t, vars, "checkin", "open", "--team", "Core", "--period", "2026-W48")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "opened 2 new rounds")
	// This process has no chat platform configured: the prompts had nowhere to go, and it says so.
	require.Contains(t, stderr, "no way to reach recipient")

	out := filepath.Join(dir, "checkins.csv")
	code, stdout, stderr = perfbot(t, vars, "export", "checkins", "--from", "2026-W48", "--to", "2026-11-29", "-o", out)
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "wrote 2 check-ins to "+out+"\n", stdout, "it says what it wrote, and where")
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	require.Len(t, lines, 3)
	require.True(t, strings.HasPrefix(lines[0], "email,period,status,submitted_at,done,blockers,next,mood"), lines[0])
	require.Contains(t, string(b), "dev@example.com,2026-W48,pending")

	code, stdout, _ = perfbot(t, vars, "org", "unknowns")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "nobody unknown")
}

// sim is a client of the simulator's HTTP API, as the web page uses it.
type sim struct {
	t    *testing.T
	base string
}

type simEntry struct {
	Ref     string `json:"ref"`
	From    string `json:"from"`
	Title   string `json:"title"`
	Text    string `json:"text"`
	Fields  []struct{ Label, Value string }
	Buttons []struct{ Label, Value string }
}

func (s sim) get(path string) []byte {
	s.t.Helper()
	res, err := http.Get(s.base + path)
	require.NoError(s.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(s.t, err)
	require.Equal(s.t, http.StatusOK, res.StatusCode, string(b))
	return b
}

func (s sim) post(path string, body any) {
	s.t.Helper()
	b, err := json.Marshal(body)
	require.NoError(s.t, err)
	res, err := http.Post(s.base+path, "application/json", bytes.NewReader(b))
	require.NoError(s.t, err)
	defer res.Body.Close()
	msg, _ := io.ReadAll(res.Body)
	require.Less(s.t, res.StatusCode, 300, string(msg))
}

func (s sim) dm(persona string) []simEntry {
	var v struct {
		Conversations []struct {
			Kind     string
			Messages []simEntry
		}
	}
	require.NoError(s.t, json.Unmarshal(s.get("/api/conversations/"+persona), &v))
	for _, c := range v.Conversations {
		if c.Kind == "dm" {
			return c.Messages
		}
	}
	return nil
}

func (s sim) last(persona string) simEntry {
	es := s.dm(persona)
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].From == "" {
			return es[i]
		}
	}
	return simEntry{}
}

// period is this week's, as perfbot names it in the demo's prompts.
func (s sim) period() string {
	var p string
	for _, e := range s.dm("jonas") {
		if strings.HasPrefix(e.Title, "Weekly check-in · ") {
			p = strings.TrimPrefix(e.Title, "Weekly check-in · ")
		}
	}
	return p
}

// sineWAV is two seconds of a tone, as a WAV file's bytes.
func sineWAV(t *testing.T) []byte {
	t.Helper()
	wav := filepath.Join(t.TempDir(), "note.wav")
	out, err := exec.Command("ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", wav).CombinedOutput()
	require.NoError(t, err, "ffmpeg (make test installs it): %s", out)
	audio, err := os.ReadFile(wav)
	require.NoError(t, err)
	return audio
}

// voice sends a voice note as the simulator's 🎙 does.
func (s sim) voice(persona string, audio []byte) {
	s.t.Helper()
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	part, err := form.CreateFormFile("audio", "note.wav")
	require.NoError(s.t, err)
	_, err = part.Write(audio)
	require.NoError(s.t, err)
	require.NoError(s.t, form.Close())
	res, err := http.Post(s.base+"/api/conversations/"+persona+"/voice", form.FormDataContentType(), &body)
	require.NoError(s.t, err)
	res.Body.Close()
	require.Equal(s.t, http.StatusOK, res.StatusCode)
}

func (s sim) say(persona, text string) {
	s.post("/api/conversations/"+persona+"/messages", map[string]string{"text": text})
}

func (s sim) click(persona, label string) {
	s.t.Helper()
	es := s.dm(persona)
	for i := len(es) - 1; i >= 0; i-- {
		for _, b := range es[i].Buttons {
			if b.Label == label {
				s.post("/api/conversations/"+persona+"/actions", map[string]string{"ref": es[i].Ref, "value": b.Value})
				return
			}
		}
	}
	require.FailNowf(s.t, "no button", "%q for %s", label, persona)
}

// started is a long-running perfbot command (demo, serve) in-process.
type started struct {
	sim
	stderr *lockedBuffer
	stop   func() int // SIGTERM, then the exit code
}

func start(t *testing.T, vars map[string]string, args ...string) started {
	t.Helper()
	vars["PERFBOT_HTTP_ADDR"] = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ready := make(chan string, 1)
	stderr := &lockedBuffer{}
	env := environment{
		args: args, stdout: io.Discard, stderr: stderr, clock: time.Now,
		getenv: func(k string) string { return vars[k] }, ready: func(addr string) { ready <- addr },
	}
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, env) }()
	select {
	case addr := <-ready:
		stop := func() int {
			cancel() // as SIGTERM does
			select {
			case code := <-exited:
				return code
			case <-time.After(30 * time.Second):
				t.Fatal("perfbot did not shut down")
				return -1
			}
		}
		return started{sim: sim{t: t, base: "http://" + addr}, stderr: stderr, stop: stop}
	case code := <-exited:
		t.Fatalf("perfbot %v exited with %d: %s", args, code, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("perfbot %v did not start", args)
	}
	return started{}
}

// The whole first-run experience: perfbot demo, an employee's check-in in
// the simulator, the manager receiving and reviewing it, then SIGTERM.
func TestDemoEndToEnd(t *testing.T) {
	vars := sqliteVars(t)
	vars["PERFBOT_SHUTDOWN_TIMEOUT"] = "5s"
	s := start(t, vars, "demo")

	require.Equal(t, "ok\n", string(s.get("/healthz")))
	require.Contains(t, string(s.get("/readyz")), "database: ok")
	require.Contains(t, string(s.get("/")), "<html")

	var personas []struct{ ID, Name, Title string }
	require.NoError(t, json.Unmarshal(s.get("/api/personas"), &personas))
	require.Len(t, personas, 9, "1 HR, 2 managers, 6 employees")

	const who = "jonas"
	prompt := s.last(who)
	require.Contains(t, prompt.Title, "Weekly check-in")
	s.click(who, "Start")
	s.say(who, "Finished the <script>alert(1)</script> migration @channel")
	s.say(who, "skip")
	s.say(who, "Load tests")
	for range 5 { // answer the goals, if any, up to the mood question
		if strings.Contains(s.last(who).Text, "How do you feel") {
			break
		}
		s.say(who, "50%")
	}
	require.Contains(t, s.last(who).Text, "How do you feel", "%+v", s.dm(who))
	s.click(who, "4 🙂")
	require.Contains(t, s.last(who).Title, "Your check-in")
	s.click(who, "Submit")
	require.Contains(t, s.last(who).Text, "Submitted your check-in")

	// Find the manager's copy among everyone's conversations.
	var manager string
	var card simEntry
	for _, p := range personas {
		for _, e := range s.dm(p.ID) {
			if strings.Contains(e.Title, "Jonas Weber") && len(e.Buttons) > 0 {
				manager, card = p.ID, e
			}
		}
	}
	require.NotEmpty(t, manager, "the manager received the check-in")
	require.Equal(t, "Finished the <script>alert(1)</script> migration @\u2060channel", card.Fields[0].Value)
	s.post("/api/conversations/"+manager+"/actions", map[string]string{"ref": card.Ref, "value": card.Buttons[0].Value})
	require.Contains(t, s.last(who).Text, "reviewed your check-in")

	// Jonas's team posts check-ins to its channel too.
	var channel struct {
		Conversations []struct {
			Kind, Name string
			Messages   []simEntry
		}
	}
	require.NoError(t, json.Unmarshal(s.get("/api/conversations/"+who), &channel))
	var feed []simEntry
	for _, c := range channel.Conversations {
		if c.Kind == "channel" && c.Name == "platform-team" {
			feed = c.Messages
		}
	}
	require.Len(t, feed, 1)
	require.Equal(t, "Check-in from Jonas Weber · "+s.period(), feed[0].Title)
	require.Empty(t, feed[0].Buttons, "reviewing is the manager's, not the channel's")
	require.NotContains(t, string(s.get("/api/conversations/"+who)), `"label":"Mood"`, "the channel gets the summary, without the mood")
	require.Contains(t, string(s.get("/api/conversations/"+manager)), `"label":"心情"`, "the manager reads it")

	// Button values are sealed for whoever they were sent to: a value made
	// up by an employee, or the manager's button posted by Jonas, does nothing.
	for _, forged := range []string{"bpraise:4:0:deal_won", card.Buttons[0].Value} {
		s.post("/api/conversations/"+who+"/actions", map[string]string{"ref": s.last(who).Ref, "value": forged})
		require.Contains(t, s.last(who).Text, "it wasn't sent to you", forged)
	}

	metrics := string(s.get("/metrics"))
	require.Contains(t, metrics, `perfbot_events_total{kind="action",outcome="handled",platform="simulator"}`)
	require.Contains(t, metrics, `perfbot_events_total{kind="action",outcome="refused",platform="simulator"} 2`)
	require.Regexp(t, `(?m)^perfbot_inbox_depth \d+$`, metrics)
	require.Regexp(t, `(?m)^perfbot_outbox_depth \d+$`, metrics)
	require.Regexp(t, `(?m)^perfbot_outbox_oldest_age_seconds [\d.e+-]+$`, metrics)
	require.Regexp(t, `(?m)^perfbot_job_last_run_timestamp_seconds\{job="inbox"\} [\d.e+]+$`, metrics, "the jobs' runs are counted")

	// A browser still watching live updates must not hold shutdown up.
	stream, err := http.Get(s.base + "/api/events?persona=" + who)
	require.NoError(t, err)
	defer stream.Body.Close()
	require.Equal(t, 0, s.stop(), s.stderr.String())
	require.Contains(t, s.stderr.String(), `"msg":"shutting down"`)
}

// perfbot serve on PostgreSQL and Redis, as a large organisation runs it.
func TestServeOnPostgresAndRedis(t *testing.T) {
	// Trust auth ignores the password; it is there to prove it is never logged.
	dbURL := strings.Replace(testdb.Postgres(t), "postgres://postgres@", "postgres://postgres:s3cr3t-pw@", 1)
	vars := map[string]string{"PERFBOT_DATABASE_URL": dbURL, "PERFBOT_REDIS_URL": testredis.URL(t)}
	s := start(t, vars, "serve")
	require.Equal(t, "database: ok\nredis: ok\n", string(s.get("/readyz")))
	require.Contains(t, dbURL, "s3cr3t-pw")
	require.Equal(t, 0, s.stop(), s.stderr.String())
	require.Contains(t, s.stderr.String(), `"database_url":"postgres://postgres`, "the configuration is logged")
	require.NotContains(t, s.stderr.String(), "s3cr3t-pw", "but never a password")
}

func TestTeamSettings(t *testing.T) {
	vars := sqliteVars(t)
	dir := t.TempDir()
	questions := filepath.Join(dir, "questions.yaml")
	require.NoError(t, os.WriteFile(questions, []byte("- key: done\n- key: demo\n  en: What did you demo?\n  zh-CN: 本周演示了什么？\n"), 0o600))

	code, stdout, stderr := perfbot(t, vars, "team", "set", "Core", "--channel", "simulator:core-team",
		"--deadline", "fri 18:00", "--cadence", "0 16 * * FRI", "--questions", questions, "--notify-manager=false",
		"--praise-feed", "true", "--create")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "team Core created\n", stdout)

	code, stdout, _ = perfbot(t, vars, "team", "list")
	require.Equal(t, 0, code)
	require.Regexp(t, `Core\s+0\s+false\s+simulator:demo:core-team\s+summaries \(no mood\)\s+true\s+FRI 18:00\s+0 16 \* \* FRI\s+done,demo`, stdout)
	require.Contains(t, stdout, "CHANNEL GETS")

	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--channel-posts", "full")
	require.Equal(t, 0, code, stderr)
	_, stdout, _ = perfbot(t, vars, "team", "list")
	require.Regexp(t, `Core\s+0\s+false\s+simulator:demo:core-team\s+whole check-ins\s+true`, stdout)
	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--channel-posts", "everything")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, `--channel-posts "everything": want summary or full`)

	// Only what is named changes.
	code, stdout, stderr = perfbot(t, vars, "team", "set", "Core", "--channel", "none", "--questions", "default")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "team Core updated: channel, questions\n", stdout)
	_, stdout, _ = perfbot(t, vars, "team", "list")
	require.Regexp(t, `Core\s+0\s+false\s+-\s+-\s+true\s+FRI 18:00\s+0 16 \* \* FRI\s+\(default\)`, stdout)

	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--praise-feed", "maybe")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, `--praise-feed "maybe"`)

	code, _, stderr = perfbot(t, vars, "team", "set", "Core", "--deadline", "someday")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, `deadline "someday"`)
}

// A voice note in the demo, through the whole pipeline: uploaded in the
// simulator, converted by ffmpeg, transcribed by a local command (echo
// stands in for a speech recogniser binary), summarised offline, confirmed,
// and in the check-in.
func TestVoiceNoteInTheDemo(t *testing.T) {
	vars := sqliteVars(t)
	vars["PERFBOT_VOICE_ASR_COMMAND"] = "echo this week I finished the billing migration. I am blocked by the vendor keys. next week I will start the dashboard."
	s := start(t, vars, "demo")
	const who = "jonas"
	s.click(who, "Start")
	s.voice(who, sineWAV(t))

	var card simEntry
	require.Eventually(t, func() bool { card = s.last(who); return card.Title == "Here's what I heard" }, 20*time.Second, 50*time.Millisecond)
	require.Contains(t, card.Fields[0].Value, "finished the billing migration")
	require.Contains(t, card.Fields[1].Value, "blocked by the vendor keys")
	require.Contains(t, card.Fields[2].Value, "start the dashboard")
	s.click(who, "Confirm")
	require.Contains(t, s.last(who).Text, "(4/4) How do you feel", "the check-in goes on from there")
	require.Equal(t, 0, s.stop(), s.stderr.String())
}

// Each command has its own help, and a group of commands lists its own.
func TestCommandHelp(t *testing.T) {
	code, stdout, stderr := perfbot(t, nil, "org", "import", "--help")
	require.Equal(t, 0, code, stderr)
	require.True(t, strings.HasPrefix(stdout, "usage: perfbot org import FILE\n"), stdout)
	require.NotContains(t, stdout, "team set", "only this command's help")

	code, stdout, _ = perfbot(t, nil, "team", "set", "-h")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "usage: perfbot team set NAME ")
	require.Contains(t, stdout, "  --cadence\n      when prompts go out")
	require.Contains(t, stdout, "last workday 16:00")
	// The synopsis names every flag the command takes (--channel-posts and --weekly-digest were
	// once accepted but left out of it).
	synopsis, _, _ := strings.Cut(stdout, "\n\n")
	var named int
	for _, line := range strings.Split(stdout, "\n") {
		if f, ok := strings.CutPrefix(line, "  --"); ok {
			f, _, _ = strings.Cut(f, " ")
			require.Contains(t, synopsis, "[--"+f, "team set's synopsis lacks --%s", f)
			named++
		}
	}
	require.GreaterOrEqual(t, named, 14, stdout)

	code, helped, _ := perfbot(t, nil, "help", "team", "set")
	require.Equal(t, 0, code)
	require.Equal(t, stdout, helped, "perfbot help team set is perfbot team set --help")

	code, stdout, _ = perfbot(t, nil, "broadcast", "send", "--help")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "--remind-after\n      with --ack, remind who has not read it after this long (0: never) (default 48h0m0s)")

	for _, group := range []string{"team", "export", "broadcast", "org", "schedule"} {
		code, stdout, stderr = perfbot(t, nil, group)
		require.Equal(t, 0, code, group)
		require.Empty(t, stderr, group)
		require.Contains(t, stdout, "perfbot "+group+" ", group)
		for name, c := range commands {
			if strings.HasPrefix(name, group+" ") {
				require.Contains(t, stdout, c.summary, group)
			} else {
				require.NotContains(t, stdout, "  perfbot "+name+" ", group)
			}
		}
	}
	code, stdout, _ = perfbot(t, nil, "org", "sync", "--help")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "perfbot org sync dingtalk")
	require.NotContains(t, stdout, "org import")

	code, _, stderr = perfbot(t, nil, "team", "frob")
	require.Equal(t, 2, code)
	require.Equal(t, "perfbot: unknown command \"team frob\"\nrun `perfbot team` for its commands\n", stderr)

	// Every command answers --help without touching a database.
	for name := range commands {
		code, stdout, stderr := perfbot(t, nil, append(strings.Fields(name), "--help")...)
		require.Equal(t, 0, code, name)
		require.True(t, strings.HasPrefix(stdout, "usage: perfbot "+name), name)
		require.Empty(t, stderr, name)
	}
}
