#include "interrupt.h"
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t interrupted = 0;

static void on_interrupt(int signal) {
    (void)signal;
    interrupted = 1;
}

int crmq_install_interrupt_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    return sigaction(SIGINT, &action, 0);
}

int crmq_interrupt_pending(void) { return interrupted; }

int crmq_take_interrupt(void) {
    int was = interrupted;
    interrupted = 0;
    return was;
}

void crmq_request_interrupt(void) { interrupted = 1; }
