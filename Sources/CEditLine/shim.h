#ifndef CRMQ_EDITLINE_SHIM_H
#define CRMQ_EDITLINE_SHIM_H

// libedit's readline interface, and the few things Swift cannot do to it directly: Swift 6
// refuses to assign C globals such as rl_attempted_completion_function from Swift code (they
// are shared mutable state), so these setters do it, and keep strict checking on elsewhere.

#include <stdio.h>
#include <readline.h>

static inline void crmq_set_completer(char **(*completer)(const char *, int, int)) {
    rl_attempted_completion_function = completer;
}

static inline void crmq_set_word_break_characters(const char *characters) {
    // libedit reads the basic set, not rl_completer_word_break_characters.
    rl_basic_word_break_characters = characters;
}

static inline void crmq_set_readline_name(const char *name) { rl_readline_name = name; }

static inline void crmq_set_catch_signals(int on) { rl_catch_signals = on; }

static inline void crmq_suppress_append(void) {
    rl_completion_append_character = '\0';
}

static inline void crmq_set_append_character(int c) { rl_completion_append_character = c; }

static inline const char *crmq_line_buffer(void) { return rl_line_buffer; }

static char *crmq_no_entries(const char *text, int state) { (void)text; (void)state; return 0; }

/// Without this, libedit falls back to completing file names wherever crmq offers nothing.
static inline void crmq_disable_default_completion(void) { rl_completion_entry_function = crmq_no_entries; }

static inline int crmq_point(void) { return rl_point; }

static inline int crmq_history_length(void) { return history_length; }

static inline int crmq_history_base(void) { return history_base; }

#endif
