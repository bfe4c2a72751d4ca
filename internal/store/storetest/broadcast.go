package storetest

var broadcastTests = []suiteTest{}
