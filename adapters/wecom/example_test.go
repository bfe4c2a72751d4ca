package wecom_test

import (
	"fmt"

	"github.com/perfbot/perfbot/adapters/wecom"
)

// WeCom verifies a callback URL by sending an encrypted echostr, which the
// app must answer decrypted. This is Tencent's own sample.
func ExampleCrypt() {
	c, err := wecom.NewCrypt("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")
	if err != nil {
		panic(err)
	}
	echostr := "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
	if err := c.Verify("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", echostr); err != nil {
		panic(err)
	}
	plain, err := c.Decrypt(echostr)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(plain))
	// Output: 1616140317555161061
}
