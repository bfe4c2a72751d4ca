package storetest

var deliveryTests = []suiteTest{}
