package models_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/interleave-dev/interleave/internal/specgen"
)

func TestZZShow(t *testing.T) {
	s, _ := strconv.ParseUint(os.Getenv("SEED"), 10, 64)
	fmt.Print(specgen.Spec(s))
}
