package conversations_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/store"
)

func TestWholeCheckin(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	res := w.open()
	require.Equal(t, conversations.StepPrompt, w.state.Checkin.Step)
	require.Contains(t, dump(res), "Weekly check-in · 2026-W48")
	require.Contains(t, dump(res), "(Start) (Skip this week) (Remind me later)")

	res = w.click("Start")
	require.Equal(t, store.StatusInProgress, w.round.Status)
	require.Equal(t, now, w.round.StartedAt)
	out := dump(res)
	require.Contains(t, out, "[reply replaces card-1] Weekly check-in · 2026-W48", "the prompt loses its buttons")
	require.Contains(t, out, "› Start")
	require.Contains(t, out, "(1/6) What did you get done this week?")

	require.Contains(t, dump(w.say("Shipped the importer")), "(2/6) Any blockers?")
	require.Contains(t, dump(w.say("Waiting on legal")), "(3/6) What is your plan for next week?")
	require.Contains(t, dump(w.say("Start the exporter")), `(4/6) How far along is "Ship v2"? (a percentage)`)
	res = w.say("40%")
	require.Equal(t, []store.Goal{{ID: 11, PersonID: 7, Title: "Ship v2", Progress: 40}}, w.saved.Goals)
	require.Contains(t, dump(res), `(5/6) How far along is "Close deals"? (target: 10)`)
	require.Contains(t, dump(w.say("7")), "(6/6) How do you feel about this week?")
	res = w.click("4 🙂")
	out = dump(res)
	require.Contains(t, out, "replaces card-1] ")
	require.Contains(t, out, "› 4 🙂")
	require.Contains(t, out, "Your check-in · 2026-W48 Check your answers")
	require.Contains(t, out, "| 1. What did you get done this week?: Shipped the importer")
	require.Contains(t, out, `| 4. How far along is "Ship v2"? (a percentage): 40%`)
	require.Contains(t, out, `| 5. How far along is "Close deals"? (target: 10): 7 / 10`)
	require.Contains(t, out, "| 6. How do you feel about this week? (1 = rough, 5 = great): 4 🙂")
	require.Contains(t, out, "(Submit) (Edit 1) (Edit 2) (Edit 3) (Edit 4) (Edit 5)")

	res = w.click("Submit")
	require.Equal(t, store.StatusSubmitted, w.round.Status)
	require.Equal(t, now, w.round.SubmittedAt)
	require.Equal(t, conversations.StepSubmitted, w.state.Checkin.Step)
	out = dump(res)
	require.Contains(t, out, "Submitted your check-in for 2026-W48 and sent it to Li Wei")
	// The manager reads it in their own language, with a Mark reviewed button.
	require.Contains(t, out, "[person 3] Anna 的周报 · 2026-W48")
	require.Contains(t, out, "| 本周完成: Shipped the importer | 遇到的障碍: Waiting on legal | 下周计划: Start the exporter")
	require.Contains(t, out, "| 目标：Ship v2: 40% | 目标：Close deals: 7 / 10 | 心情: 4 🙂 (标记为已阅)")

	var actions []string
	for _, a := range w.audit {
		require.Equal(t, "round:100", a.Object)
		require.Equal(t, int64(7), a.ActorID)
		actions = append(actions, a.Action)
	}
	require.Equal(t, []string{"checkin.start", "checkin.answer", "checkin.answer", "checkin.answer",
		"checkin.answer", "checkin.answer", "checkin.answer", "checkin.submit"}, actions)
}

func TestCheckinInChinese(t *testing.T) {
	w := newWorld(t, bot.LocaleZH)
	w.goals = nil
	require.Contains(t, dump(w.open()), "每周签到 · 2026-W48")
	require.Contains(t, dump(w.say("签到")), "（1/4）本周完成了什么？")
	require.Contains(t, dump(w.say("跳过")), "（2/4）遇到了哪些障碍？")
	w.say("无")
	w.say("继续推进")
	res := w.say("５")
	require.Equal(t, 5, w.round.Mood, "full-width digits from Chinese keyboards count")
	require.Contains(t, dump(res), "| 1. 本周完成了什么？: （已跳过）")
	require.Contains(t, dump(w.say("修改 2")), "（2/4）遇到了哪些障碍？")
	require.Contains(t, dump(w.say("需要设计稿")), "| 2. 遇到了哪些障碍？: 需要设计稿")
	require.Contains(t, dump(w.say("提交")), "已提交 2026-W48 的周报并发送给 Li Wei")
}

// step is one transition: from a state reached by setup, an input, and what
// must hold afterwards.
type step struct {
	name  string
	setup func(w *world)
	do    func(w *world) conversations.Result
	check func(t *testing.T, w *world, out string)
}

func atPrompt(w *world) { w.open() }

func atItem(n int) func(w *world) {
	return func(w *world) {
		w.open()
		w.click("Start")
		for range n {
			w.say("30") // reads as an answer and as a goal's progress
		}
	}
}

func atReview(w *world) { w.answerAll() }

func submitted(w *world) {
	w.answerAll()
	w.click("Submit")
}

func TestTransitions(t *testing.T) {
	long := strings.Repeat("很", conversations.MaxAnswer+1)
	for _, s := range []step{
		{"prompt: skip this week with a reason button", atPrompt,
			func(w *world) conversations.Result { w.click("Skip this week"); return w.click("On leave") },
			func(t *testing.T, w *world, out string) {
				require.Equal(t, store.StatusSkipped, w.round.Status)
				require.Equal(t, "On leave", w.round.SkipReason)
				require.Equal(t, conversations.State{}, w.state)
				require.Contains(t, out, "Skipped your check-in for 2026-W48")
			}},
		{"prompt: typed skip, then a typed reason", atPrompt,
			func(w *world) conversations.Result { w.say("skip"); return w.say("Conference all week") },
			func(t *testing.T, w *world, out string) {
				require.Equal(t, store.StatusSkipped, w.round.Status)
				require.Equal(t, "Conference all week", w.round.SkipReason)
			}},
		{"prompt: remind me later keeps the round pending", atPrompt,
			func(w *world) conversations.Result { return w.click("Remind me later") },
			func(t *testing.T, w *world, out string) {
				require.Equal(t, store.StatusPending, w.round.Status)
				require.Equal(t, now.Add(conversations.LaterDelay), w.round.RemindAt)
				require.Equal(t, conversations.State{}, w.state)
				require.Contains(t, out, "› Remind me later")
				require.Contains(t, out, "I'll remind you in about two hours")
			}},
		{"prompt: unknown text gets help, never silence", atPrompt,
			func(w *world) conversations.Result { return w.say("hello?") },
			func(t *testing.T, w *world, out string) {
				require.Equal(t, conversations.StepPrompt, w.state.Checkin.Step)
				require.Contains(t, out, "Sorry, I didn't understand that")
				require.Contains(t, out, "tap Start")
			}},
		{"prompt: the Start button twice is stale", atPrompt,
			func(w *world) conversations.Result {
				start := button(t, w.last, "Start")
				w.clickValue(start)
				return w.clickValue(start)
			},
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "That button is on an older card, so it's out of date. Here's where your check-in is now:\n\n(1/6) What did you get done this week?")
				require.Equal(t, 0, w.state.Checkin.Item)
			}},
		{"item: an empty answer is refused and nothing changes", atItem(1),
			func(w *world) conversations.Result { return w.say("   ") },
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "That answer is empty")
				require.Nil(t, w.saved.Round)
				require.Equal(t, 1, w.state.Checkin.Item)
			}},
		{"item: too long is kept as a draft, then cut on request", atItem(0),
			func(w *world) conversations.Result {
				w.say(long)
				require.Equal(t, long, w.state.Checkin.Draft)
				require.Contains(t, dump(w.last), "That answer is 4001 characters; the limit is 4000")
				require.Equal(t, "", w.round.Answer(store.QuestionDone))
				return w.click("Use the first 4000 characters")
			},
			func(t *testing.T, w *world, out string) {
				require.Equal(t, strings.Repeat("很", conversations.MaxAnswer), w.round.Answer(store.QuestionDone))
				require.Equal(t, 1, w.state.Checkin.Item)
				require.Empty(t, w.state.Checkin.Draft)
			}},
		{"item: skip leaves the question skipped", atItem(1),
			func(w *world) conversations.Result { return w.say("skip") },
			func(t *testing.T, w *world, out string) {
				require.Len(t, w.round.Answers, 2)
				require.Equal(t, "", w.round.Answer(store.QuestionBlockers))
				require.Contains(t, out, "(3/6)")
			}},
		{"goal: not a number", atItem(3),
			func(w *world) conversations.Result { return w.say("about half") },
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "Please send a number such as 40")
				require.Equal(t, 3, w.state.Checkin.Item)
			}},
		{"goal: a percentage over 100", atItem(3),
			func(w *world) conversations.Result { return w.say("140%") },
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "A percentage goes from 0 to 100")
				require.Empty(t, w.round.Goals)
			}},
		{"goal: a percentage of a numeric target", atItem(4),
			func(w *world) conversations.Result { return w.say("５０％") },
			func(t *testing.T, w *world, out string) {
				require.Equal(t, store.GoalProgress{GoalID: 12, Title: "Close deals", Value: 5, Target: 10}, w.round.Goals[1])
			}},
		{"goal: skipped", atItem(3),
			func(w *world) conversations.Result { return w.say("skip") },
			func(t *testing.T, w *world, out string) {
				require.True(t, w.round.Goals[0].Skipped)
				require.Contains(t, out, "(5/6)")
			}},
		{"mood: out of range", atItem(5),
			func(w *world) conversations.Result { return w.say("9") },
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "send a number from 1 to 5")
				require.Equal(t, 0, w.round.Mood)
			}},
		{"help mid-check-in says where we are", atItem(2),
			func(w *world) conversations.Result { return w.say("help") },
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "edit N")
				require.Contains(t, out, "We're at question 3 of 6: What is your plan for next week?")
				require.Equal(t, 2, w.state.Checkin.Item)
			}},
		{"cancel keeps the answers, checkin resumes at the first gap", atItem(2),
			func(w *world) conversations.Result {
				w.say("cancel")
				require.Equal(t, conversations.State{}, w.state)
				require.Contains(t, dump(w.last), "Paused")
				return w.say("checkin")
			},
			func(t *testing.T, w *world, out string) {
				require.Len(t, w.round.Answers, 2)
				require.Contains(t, out, "(3/6) What is your plan for next week?")
			}},
		{"review: edit 2 then straight back to the review", atReview,
			func(w *world) conversations.Result {
				require.Contains(t, dump(w.say("edit 2")), "(2/6) Any blockers?")
				require.True(t, w.state.Checkin.Editing)
				return w.say("None after all")
			},
			func(t *testing.T, w *world, out string) {
				require.Equal(t, conversations.StepReview, w.state.Checkin.Step)
				require.Contains(t, out, "| 2. Any blockers?: None after all")
			}},
		{"review: the Edit button", atReview,
			func(w *world) conversations.Result { return w.click("Edit 3") },
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "› Edit 3")
				require.Contains(t, out, "(3/6) What is your plan for next week?")
			}},
		{"review: edit out of range", atReview,
			func(w *world) conversations.Result { return w.say("edit 9") },
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "Please use a number from 1 to 6")
				require.Equal(t, conversations.StepReview, w.state.Checkin.Step)
			}},
		{"review: an older review's Submit button is stale", atReview,
			func(w *world) conversations.Result {
				old := button(t, w.last, "Submit")
				w.say("edit 1")
				w.say("Shipped more")
				return w.clickValue(old)
			},
			func(t *testing.T, w *world, out string) {
				require.NotContains(t, out, "already been used", "nobody used it: it is out of date")
				require.Contains(t, out, "[reply replaces card-1] Your check-in · 2026-W48 This card is out of date: the current one is further down.\n")
				require.Contains(t, out, "[reply]  That button is on an older card, so it's out of date. Here's where your check-in is now:\n")
				require.Contains(t, out, "[reply] Your check-in · 2026-W48 Check your answers", "the current review, to tap")
				require.Contains(t, out, "What did you get done this week?: Shipped more")
				require.Equal(t, store.StatusInProgress, w.round.Status)
				require.Equal(t, conversations.StepReview, w.state.Checkin.Step)
				require.Equal(t, w.state.Seq, seqOf(t, button(t, w.last, "Submit")), "its buttons are current")
			}},
		{"submitted: edit and resubmit until reviewed", submitted,
			func(w *world) conversations.Result {
				w.say("edit 1")
				w.say("Shipped the importer and the docs")
				require.Contains(t, dump(w.last), "(Submit changes)")
				return w.click("Submit changes")
			},
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "Updated your check-in for 2026-W48 and sent the new version to Li Wei")
				require.Contains(t, out, "[person 3] Anna 更新了周报 · 2026-W48")
				require.Equal(t, "checkin.edit", w.audit[len(w.audit)-1].Action)
			}},
		{"submitted: no edits after the review", submitted,
			func(w *world) conversations.Result {
				w.round.ReviewedBy, w.round.ReviewedAt = 3, now
				return w.say("edit 1")
			},
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "already reviewed your check-in for 2026-W48")
				require.Equal(t, conversations.StepSubmitted, w.state.Checkin.Step)
			}},
		{"submitted: checkin again says so", submitted,
			func(w *world) conversations.Result { return w.say("checkin") },
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "already submitted your check-in for 2026-W48")
			}},
		{"submitted: opening again sends nothing", submitted,
			func(w *world) conversations.Result { return w.open() },
			func(t *testing.T, w *world, out string) { require.Empty(t, out) }},
		{"a button that means nothing", atPrompt,
			func(w *world) conversations.Result { return w.clickValue("garbage") },
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "I don't recognise that button")
				require.Equal(t, conversations.StepPrompt, w.state.Checkin.Step)
			}},
		{"edit before starting", atPrompt,
			func(w *world) conversations.Result { return w.say("edit 1") },
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "haven't started this week's check-in")
			}},
		{"no round yet: checkin asks for one to be opened", func(w *world) { w.round = nil },
			func(w *world) conversations.Result { return w.say("checkin") },
			func(t *testing.T, w *world, out string) {
				require.Equal(t, "2026-W48", w.last.OpenPeriod)
				require.Empty(t, out)
			}},
		{"a group chat gets pointed to the DM", atPrompt,
			func(w *world) conversations.Result {
				return w.apply(conversations.Step(w.input(bot.Event{Kind: bot.KindMessage, Text: "checkin", Group: true, Channel: "G1"})))
			},
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "[channel G1] ")
				require.Contains(t, out, "I work in direct messages")
				require.Equal(t, conversations.StepPrompt, w.state.Checkin.Step)
			}},
		{"a voice note is acknowledged while it is transcribed", atItem(0),
			func(w *world) conversations.Result {
				return w.apply(conversations.Step(w.input(bot.Event{Kind: bot.KindVoice, Voice: &bot.Voice{MediaID: "m1"}})))
			},
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "Got your voice note")
				require.Equal(t, conversations.StepItem, w.state.Checkin.Step, "the check-in waits where it was")
			}},
		{"a picture is answered politely", atItem(0),
			func(w *world) conversations.Result {
				return w.apply(conversations.Step(w.input(bot.Event{Kind: bot.KindUnsupported})))
			},
			func(t *testing.T, w *world, out string) {
				require.Contains(t, out, "I can only read text and buttons")
			}},
	} {
		t.Run(s.name, func(t *testing.T) {
			w := newWorld(t, bot.LocaleEN)
			s.setup(w)
			res := s.do(w)
			s.check(t, w, dump(res))
		})
	}
}

func TestOldPeriodButton(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.open()
	start := button(t, w.last, "Start")
	// A week later: the state has moved on to a new round, and the old
	// prompt's Start is clicked. The engine loads the round the button names.
	w.state = conversations.State{}
	w.round.Period = "2026-W47"
	res := w.clickValue(start)
	require.Contains(t, dump(res), "belongs to an earlier check-in (2026-W47)")
	require.Nil(t, w.saved.Round)
	require.Equal(t, store.StatusPending, w.round.Status)
}

func TestStranger(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	out := conversations.Stranger(w.cat)
	require.Contains(t, out.Message.Text, "You're not set up in perfbot yet")
	require.Contains(t, out.Message.Text, "你还没有在 perfbot 中开通")
	require.Zero(t, out.PersonID)
}

func TestTeamTemplate(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.goals = nil
	w.team.Questions = []store.Question{
		{Key: store.QuestionDone},
		{Key: "demo", Text: map[string]string{"en": "What did you demo?", "zh-CN": "本周演示了什么？"}},
	}
	w.open()
	require.Contains(t, dump(w.click("Start")), "(1/3) What did you get done this week?")
	require.Contains(t, dump(w.say("Importer")), "(2/3) What did you demo?")
	require.Contains(t, dump(w.say("The new review screen")), "(3/3) How do you feel")
	require.Contains(t, dump(w.say("5")), "| 2. What did you demo?: The new review screen")
	out := dump(w.click("Submit"))
	// The manager reads the team's question in their own language.
	require.Contains(t, out, "[person 3] Anna 的周报 · 2026-W48  | 本周完成: Importer | 本周演示了什么？: The new review screen | 心情: 5 😄")
	require.Equal(t, "What did you demo?", w.round.Answers[1].Question, "kept as the person read it")
}

// Text that fits nothing gets one reply that also says what perfbot is
// waiting for, not two messages.
func TestUnknownTextIsOneReply(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	res := w.say("hello?")
	require.Len(t, res.Out, 1, dump(res))
	require.Equal(t, "Sorry, I didn't understand that. Type checkin to do this week's check-in, or help to see what I can do.",
		res.Out[0].Message.Text, "waiting for nothing: the longer help")

	w.open()
	res = w.say("hello?")
	require.Len(t, res.Out, 1, dump(res))
	require.Equal(t, "Sorry, I didn't understand that (help shows what I can do).\n\nThis week's check-in is ready: tap Start, or type checkin.",
		res.Out[0].Message.Text)

	zh := newWorld(t, bot.LocaleZH)
	zh.open()
	start := button(t, zh.last, "开始")
	zh.clickValue(start)
	res = zh.clickValue(start)
	require.Len(t, res.Out, 1, "a stale button, and where things stand: %s", dump(res))
}

// seqOf is the step a check-in button was offered at.
func seqOf(t *testing.T, value string) int {
	parts := strings.Split(value, ":")
	require.GreaterOrEqual(t, len(parts), 3, value)
	n, err := strconv.Atoi(parts[2])
	require.NoError(t, err)
	return n
}

// After the manager reviewed it, checkin says so instead of suggesting
// edit N, which would be refused.
func TestCheckinAfterReview(t *testing.T) {
	w := newWorld(t, bot.LocaleEN)
	w.answerAll()
	w.click("Submit")
	require.Contains(t, dump(w.say("checkin")), "Type edit N to change an answer.", "not reviewed yet")
	r := *w.round
	r.ReviewedBy, r.ReviewedAt = w.manager.ID, now
	w.round = &r
	out := dump(w.say("checkin"))
	require.NotContains(t, out, "edit N")
	require.Contains(t, out, "Your check-in for 2026-W48 is submitted and Li Wei has reviewed it, so it can't be changed any more.")
}
