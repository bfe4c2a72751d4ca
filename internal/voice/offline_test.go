package voice

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestOfflineCheckIn(t *testing.T) {
	for _, tc := range []struct {
		name, text, done, blockers, next string
	}{{
		name:     "en punctuated",
		text:     spokenCheckIn,
		done:     "This week I finished the billing migration.",
		blockers: "I am blocked by the missing API keys from the vendor.",
		next:     "Next week I will start the reporting dashboard.",
	}, {
		name:     "en unpunctuated lowercase, as pocketsphinx prints",
		text:     "this week i finished the billing migration i am blocked by the missing api keys from the vendor next week i will start the reporting dashboard",
		done:     "This week I finished the billing migration.",
		blockers: "I am blocked by the missing api keys from the vendor.",
		next:     "Next week I will start the reporting dashboard.",
	}, {
		name:     "en run-on with fillers; a cue deep in a clause does not cut it",
		text:     "um so this week I finished the login page and then uh I got stuck on the performance problem in the reporting service, which will be fixed next week, and then next week I plan to start the search project",
		done:     "This week I finished the login page.",
		blockers: "I got stuck on the performance problem in the reporting service, which will be fixed next week.",
		next:     "Next week I plan to start the search project.",
	}, {
		name:     "en sentences without cues follow the last cue",
		text:     "I talked to three customers about pricing. They liked it. I'm waiting for legal to approve the contract. It has been two weeks. Tomorrow I'll send the proposal.",
		done:     "I talked to three customers about pricing. They liked it.",
		blockers: "I'm waiting for legal to approve the contract. It has been two weeks.",
		next:     "Tomorrow I'll send the proposal.",
	}, {
		name:     "zh punctuated with fillers",
		text:     "这周我完成了账单迁移，但是卡在供应商的API密钥上，嗯，那个，下周我准备开始做报表。",
		done:     "这周我完成了账单迁移。",
		blockers: "卡在供应商的API密钥上。",
		next:     "下周我准备开始做报表。",
	}, {
		name:     "zh unpunctuated",
		text:     "嗯这周我完成了账单迁移但是卡在供应商的API密钥上下周我准备开始做报表",
		done:     "这周我完成了账单迁移。",
		blockers: "卡在供应商的API密钥上。",
		next:     "下周我准备开始做报表。",
	}, {
		name:     "zh sentences",
		text:     "本周上线了新的登录页面。遇到的问题是测试环境不稳定。接下来要做性能优化。",
		done:     "本周上线了新的登录页面。",
		blockers: "遇到的问题是测试环境不稳定。",
		next:     "接下来要做性能优化。",
	}, {
		name: "en no cue at all is done",
		text: "Mostly meetings with the design team about the onboarding flow.",
		done: "Mostly meetings with the design team about the onboarding flow.",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Offline{}.Summarise(context.Background(), Transcript{Text: tc.text}, CheckIn)
			require.NoError(t, err)
			require.Equal(t, CheckIn, s.Kind)
			require.Equal(t, tc.done, s.Done, "done")
			require.Equal(t, tc.blockers, s.Blockers, "blockers")
			require.Equal(t, tc.next, s.Next, "next")
		})
	}
}

func TestOfflineThreeByThree(t *testing.T) {
	for _, tc := range []struct {
		name, text, win, improve, support string
	}{{
		name:    "en unpunctuated",
		text:    "i am proud that the release went out on time i should have written the tests earlier i need help from the platform team with the build servers",
		win:     "I am proud that the release went out on time.",
		improve: "I should have written the tests earlier.",
		support: "I need help from the platform team with the build servers.",
	}, {
		name:    "zh",
		text:    "这周最大的收获是客户演示很顺利。我应该更早同步进度。希望经理帮忙协调测试资源。",
		win:     "这周最大的收获是客户演示很顺利。",
		improve: "我应该更早同步进度。",
		support: "希望经理帮忙协调测试资源。",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Offline{}.Summarise(context.Background(), Transcript{Text: tc.text}, ThreeByThree)
			require.NoError(t, err)
			require.Equal(t, tc.win, s.Win, "win")
			require.Equal(t, tc.improve, s.Improve, "improve")
			require.Equal(t, tc.support, s.Support, "support")
			require.Empty(t, s.Done+s.Blockers+s.Next)
		})
	}
}

func TestOfflineNothingToSay(t *testing.T) {
	_, err := Offline{}.Summarise(context.Background(), Transcript{Text: "um uh 嗯"}, CheckIn)
	require.ErrorIs(t, err, ErrBadSummary)
	_, err = Offline{}.Summarise(context.Background(), Transcript{Text: "hello"}, Kind("poem"))
	require.Error(t, err)
}
