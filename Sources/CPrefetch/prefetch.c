// Everything is in include/prefetch.h, inline; a C target needs one source file.
#include "prefetch.h"
