package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/browsertest"
)

// The demo's simulator in a headless Chromium, as a newcomer uses it.

// js quotes s as a JavaScript string.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// cardJS is the newest message bubble on screen whose title has title.
func cardJS(title string) string {
	return `[...document.querySelectorAll("#log .bubble")].filter((b) => {
		const t = b.querySelector(".title"); return t && t.textContent.includes(` + js(title) + `);
	}).pop()`
}

// buttonJS is the button labelled label in the card cardJS(title) finds,
// or with title "" the newest such button on screen.
func buttonJS(title, label string) string {
	in := `document.getElementById("log")`
	if title != "" {
		in = `((` + cardJS(title) + `) || document.createElement("div"))`
	}
	return `[...` + in + `.querySelectorAll(".actions button")].filter((b) => b.textContent === ` + js(label) + `).pop()`
}

// textJS is true when a bot message on screen has text.
func textJS(text string) string {
	return `[...document.querySelectorAll("#log .bubble .text")].some((n) => n.textContent.includes(` + js(text) + `))`
}

// checkIn answers and submits persona's check-in through the API.
func (s sim) checkIn(persona string) {
	s.t.Helper()
	s.click(persona, "Start")
	s.say(persona, "Closed two deals")
	s.say(persona, "skip")
	s.say(persona, "Partner calls")
	for range 5 { // the goals, up to the mood question
		if strings.Contains(s.last(persona).Text, "How do you feel") {
			break
		}
		s.say(persona, "50%")
	}
	s.click(persona, "4 🙂")
	s.click(persona, "Submit")
	require.Contains(s.t, s.last(persona).Text, "Submitted your check-in")
}

// The README's manager step: Praise on the check-in card, then Mark
// reviewed on the same card, without reloading the page.
func TestBrowserPraiseThenMarkReviewed(t *testing.T) {
	s := start(t, sqliteVars(t), "demo")
	s.checkIn("marcus")

	p := browsertest.Open(t, s.base+"/#anna", 1280, 900)
	const title = "Check-in from Marcus Johnson"
	p.Wait(buttonJS(title, "Mark reviewed"), "the check-in card with Mark reviewed")
	p.Eval(buttonJS(title, "Praise")+`.click()`, nil)
	p.Wait(textJS("Praise sent to Marcus Johnson"), "praise confirmed")
	p.Wait(buttonJS(title, "Mark reviewed")+` && !(`+buttonJS(title, "Mark reviewed")+`).disabled`,
		"Mark reviewed still usable after Praise")
	p.Shot("after-praise")
	var praiseDisabled bool
	p.Eval(`(`+buttonJS(title, "Praise")+`).disabled`, &praiseDisabled)
	require.False(t, praiseDisabled, "perfbot drew the card again, every button usable")

	p.Eval(buttonJS(title, "Mark reviewed")+`.click()`, nil)
	p.Wait(`(`+cardJS(title)+`).textContent.includes("Reviewed by Anna Schmidt")`, "the card says it is reviewed")
	p.Shot("reviewed")
	require.Contains(t, s.last("marcus").Text, "reviewed your check-in")
}

// "Answer in a form" submitted with nothing filled in says what happened
// before chat asks question 1.
func TestBrowserEmptyFormSaysWhatHappened(t *testing.T) {
	s := start(t, sqliteVars(t), "demo")
	p := browsertest.Open(t, s.base+"/#jonas", 1280, 900)
	p.Wait(buttonJS("Weekly check-in", "Answer in a form"), "the prompt")
	p.Eval(buttonJS("Weekly check-in", "Answer in a form")+`.click()`, nil)
	p.Wait(`document.querySelector("#log form.fform button[type=submit]")`, "the form")
	p.Shot("form")
	p.Eval(`document.querySelector("#log form.fform button[type=submit]").click()`, nil)
	p.Wait(textJS("The form came back empty, so nothing was saved."), "what became of the form")
	p.Wait(textJS("(1/"), "question 1, asked in chat")
	p.Wait(`[...document.querySelectorAll("#log .done")].some((n) => n.textContent.includes("empty"))`,
		"the card says it went back empty")
	p.Shot("submitted-empty")
}

// A review card that a later one superseded says it is out of date when
// tapped, loses its buttons, and the current review is there to submit.
func TestBrowserSupersededReviewCard(t *testing.T) {
	s := start(t, sqliteVars(t), "demo")
	const who = "jonas"
	s.click(who, "Start")
	s.say(who, "Finished the migration")
	s.say(who, "skip")
	s.say(who, "Load tests")
	s.click(who, "4 🙂")
	require.Contains(t, s.last(who).Title, "Your check-in")
	s.say(who, "edit 1")
	s.say(who, "Finished the migration and the docs")
	require.Contains(t, s.last(who).Title, "Your check-in")

	p := browsertest.Open(t, s.base+"/#"+who, 1280, 900)
	first := `[...document.querySelectorAll("#log .bubble")].find((b) => (b.querySelector(".title") || {}).textContent?.startsWith("Your check-in"))`
	p.Wait(first+` && [...(`+first+`).querySelectorAll("button")].some((b) => b.textContent === "Submit")`, "the first review card")
	p.Eval(`[...(`+first+`).querySelectorAll("button")].find((b) => b.textContent === "Submit").click()`, nil)
	p.Wait(textJS("That button is on an older card, so it's out of date."), "out of date, not already used")
	p.Wait(`(`+first+`).textContent.includes("This card is out of date") && !(`+first+`).querySelector("button")`,
		"the old card has no buttons left")
	p.Shot("out-of-date")
	var used bool
	p.Eval(`document.body.innerText.includes("already been used")`, &used)
	require.False(t, used)

	p.Eval(buttonJS("Your check-in", "Submit")+`.click()`, nil)
	p.Wait(textJS("Submitted your check-in"), "the current card submits")
	p.Shot("submitted")
}

// On a phone (390 CSS pixels wide) the composer keeps room to type, the
// feedback form uses the width it has, and a review card's answers are not
// squeezed by its questions; mood faces have an emoji font to render in.
func TestBrowserPhoneWidth(t *testing.T) {
	s := start(t, sqliteVars(t), "demo")
	const who = "jonas"
	s.click(who, "Start")
	s.say(who, "Finished the billing migration and wrote the runbook for the on-call rotation")
	s.say(who, "skip")
	s.say(who, "Load tests")
	s.click(who, "4 🙂")
	s.click(who, "Submit")
	s.say(who, "feedback @Priya Nair")

	p := browsertest.Open(t, s.base+"/#"+who, 390, 844)
	p.Wait(`document.querySelector("#log .formcard")`, "the feedback form")
	var input float64
	p.Eval(`document.getElementById("input").getBoundingClientRect().width`, &input)
	require.GreaterOrEqual(t, input, 180.0, "the message box has room for its placeholder")
	var font string
	p.Eval(`getComputedStyle(document.body).fontFamily`, &font)
	require.Contains(t, font, "Noto Color Emoji")

	// The review card: the answers get most of its width, whatever the
	// questions take.
	var answer, fields float64
	p.Eval(`(`+cardJS("Your check-in")+`).querySelector(".fields dd").getBoundingClientRect().width`, &answer)
	p.Eval(`(`+cardJS("Your check-in")+`).querySelector(".fields").getBoundingClientRect().width`, &fields)
	require.GreaterOrEqual(t, answer, fields*0.6, "answer %.0f of %.0f", answer, fields)
	p.Eval(`(`+cardJS("Your check-in")+`).scrollIntoView()`, nil)
	p.Shot("review")

	p.Eval(`document.querySelector("#log .formcard").scrollIntoView()`, nil)
	var form, log float64
	p.Eval(`document.querySelector("#log .formcard").getBoundingClientRect().width`, &form)
	p.Eval(`document.getElementById("log").clientWidth`, &log)
	require.GreaterOrEqual(t, form, log*0.75, "the form %.0f px wide in a %.0f px conversation", form, log)
	p.Shot("form")
}

// The announcement card says who sent it.
func TestBrowserAnnouncementSaysWhoSentIt(t *testing.T) {
	s := start(t, sqliteVars(t), "demo")
	s.say("wang.fang", "broadcast everyone ack: Q4 reviews open on Monday")
	s.click("wang.fang", "发送")

	p := browsertest.Open(t, s.base+"/#jonas", 1280, 900)
	p.Wait(buttonJS("Announcement from 王芳", "I've read it"), "the announcement, from 王芳")
	p.Eval(`(`+cardJS("Announcement from 王芳")+`).scrollIntoView()`, nil)
	p.Shot("announcement")
}
