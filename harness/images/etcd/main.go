// Command etcd is kconform's entry point for the etcd server: the etcd
// module's own main package carries replace directives and cannot be built
// with `go install`, so this one calls the server's etcdmain.Main directly.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
