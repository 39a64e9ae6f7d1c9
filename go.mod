module github.com/obieg/obieg

go 1.26
