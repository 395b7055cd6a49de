module kconform.local/runc-shim

go 1.22
