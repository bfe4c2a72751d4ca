package seal_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/seal"
)

// FuzzOpen checks that Open accepts nothing but what Sign issued: whatever
// it opens is, byte for byte, the seal Sign makes of the value it returns.
func FuzzOpen(f *testing.F) {
	c := &clock{start}
	r := ring(f, c, key(f, '1'), key(f, '2'))
	old := ring(f, c, key(f, '2'))
	for _, v := range []string{"bpraise:4:0:deal_won", "", "中文", "a.b"} {
		f.Add(r.Sign(seal.Person(anna), v))
		f.Add(old.Sign(seal.Person(anna), v))
		f.Add(r.Sign(seal.Person(bert), v))
	}
	f.Add("bpraise:4:0:deal_won")
	f.Add(".1AAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, sealed string) {
		v, err := r.Open(sealed, seal.Person(anna))
		if err != nil {
			require.ErrorIs(t, err, seal.ErrForged)
			return
		}
		want := r.Sign(seal.Person(anna), v)
		if sealed[len(sealed)-seal.Overhead+1] == '2' {
			want = old.Sign(seal.Person(anna), v)
		}
		require.Equal(t, want, sealed)
	})
}
