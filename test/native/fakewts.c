/*
 * fakewts: a stand-in for wtsapi32.dll with the same exports, ABI and x64 layouts, whose
 * servers, sessions and processes the tests script: per-server latency, failures (1722, 5, 7022,
 * 7007...) per operation and optionally per info class and session, servers that hang, and a count
 * of outstanding allocations and bad frees (a buffer freed with another function or type than its
 * own) so tests can prove nothing leaks.
 *
 * Built as libfakewts.so with gcc (Linux tests, which also use its GetLastError and
 * LookupAccountSidW) and as wtsapi32.dll with mingw (the Windows suite under Wine, where kernel32
 * and advapi32 are Wine's own).
 *
 * Scripting: FakeWts_* functions (in-process tests), or for one-process-per-command runs
 * FAKEWTS_SCENARIO (a scenario file), FAKEWTS_STATE (changes, appended and replayed) and
 * FAKEWTS_REPORT (outstanding allocations and open handles, rewritten on every close and at exit).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#define EXPORT __declspec(dllexport)
#define FAKE_API __stdcall
typedef CRITICAL_SECTION lock_t;
static void lock_init(lock_t *l) { InitializeCriticalSection(l); }
static void lock_take(lock_t *l) { EnterCriticalSection(l); }
static void lock_give(lock_t *l) { LeaveCriticalSection(l); }
static void sleep_ms(int ms) { Sleep((DWORD)ms); }
static void set_error(uint32_t e) { SetLastError(e); }
#else
#include <pthread.h>
#include <time.h>
#define EXPORT __attribute__((visibility("default")))
#define FAKE_API
typedef pthread_mutex_t lock_t;
static void lock_init(lock_t *l) { pthread_mutex_init(l, NULL); }
static void lock_take(lock_t *l) { pthread_mutex_lock(l); }
static void lock_give(lock_t *l) { pthread_mutex_unlock(l); }
static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}
static __thread uint32_t last_error;
static void set_error(uint32_t e) { last_error = e; }
EXPORT uint32_t GetLastError(void) { return last_error; }
EXPORT void SetLastError(uint32_t e) { last_error = e; }
#endif

typedef uint16_t WCH;
typedef int32_t BOOL32;

/* Win32 promises only "nonzero" for TRUE. 0x100 makes a binding that wrongly reads BOOL as a
 * one-byte bool see FALSE, so the tests catch it. */
#define FAKE_TRUE 0x100

#define MAX_SERVERS 2048
#define MAX_SESSIONS 64
#define MAX_PROCESSES 8192
#define MAX_RULES 8
#define MAX_ACCOUNTS 256
#define NAME_LEN 64
#define SID_MAX_BYTES 68
#define WTS_ANY_SESSION 0xFFFFFFFEu

enum { OP_ENUM, OP_ENUMEX, OP_QUERY, OP_LOGOFF, OP_DISCONNECT, OP_MESSAGE, OP_PROC, OP_PROCEX, OP_LOOKUP, OP_COUNT };
static const char *OP_NAMES[OP_COUNT] = {"enum", "enumex", "query", "logoff", "disconnect", "message", "enumproc", "enumprocex", "lookup"};

/* Which free function (and WTS_TYPE_CLASS) a buffer belongs to. */
enum { KIND_FREE_MEMORY = 1, KIND_SESSION_INFO_1 = 2, KIND_PROCESS_INFO_1 = 3, KIND_PROCESS_INFO_0 = 4 };

typedef struct {
    uint32_t id;
    int32_t state;
    char station[NAME_LEN], user[NAME_LEN], domain[NAME_LEN], client[NAME_LEN];
    uint8_t address[4];
    int has_address;
    int64_t logon, disconnect, last_input;
    int used;
} Session;

typedef struct {
    char name[256];
    int latency_ms, failure, hang;
    int hang_result; /* what a hung call returns once released: 1722 (RPC gave up), or 0 to carry on */
    int op_failure[OP_COUNT];
    /* A failure for one op, narrowed to one info class and/or one session (-1: any). */
    struct { int op, cls; int64_t session; int code; } rules[MAX_RULES];
    int rule_count;
    uint32_t process_level; /* the level WTSEnumerateProcessesExW answers at (a server may lower it) */
    Session sessions[MAX_SESSIONS];
    int used;
} Server;

typedef struct {
    int used;
    Server *server;
    uint32_t session, pid, working_set;
    char image[NAME_LEN];
    uint8_t sid[SID_MAX_BYTES];
    uint32_t sid_len; /* 0: no SID (NULL pUserSid) */
} Process;

typedef struct {
    uint32_t magic;
    uint32_t kind;  /* KIND_* */
    uint32_t count; /* entries, which WTSFreeMemoryExW must be given back */
    uint32_t size;  /* bytes after the header, scribbled over when freed */
} AllocHeader;

#define MAGIC 0x57545346u
#define HANDLE_MAGIC 0x48414e44u
#define WTS_CURRENT_SERVER_HANDLE NULL

typedef struct {
    uint32_t magic;
    char server[256];
} FakeHandle;

static Server servers[MAX_SERVERS];
static Process processes[MAX_PROCESSES];
static lock_t state_lock;
static int initialized;
static volatile int64_t outstanding, bad_frees, open_handles, hang_generation, in_flight, max_in_flight;
static volatile int64_t calls[OP_COUNT];
static char report_path[1024];
static char state_path[1024];
static int replaying;

static void atomic_add(volatile int64_t *v, int64_t d) { __atomic_add_fetch(v, d, __ATOMIC_SEQ_CST); }
static int64_t atomic_get(volatile int64_t *v) { return __atomic_load_n(v, __ATOMIC_SEQ_CST); }

/* ---------- memory that only wtsapi32's own free functions may free ---------- */

static void *fake_alloc_n(size_t size, uint32_t kind, uint32_t count) {
    AllocHeader *h = (AllocHeader *)calloc(1, sizeof(AllocHeader) + size);
    if (!h) return NULL;
    h->magic = MAGIC;
    h->kind = kind;
    h->count = count;
    h->size = (uint32_t)size;
    atomic_add(&outstanding, 1);
    return h + 1;
}

static void *fake_alloc(size_t size, uint32_t kind) { return fake_alloc_n(size, kind, 0); }

/* Frees a buffer given back with the function (kind) it was allocated for, and for Ex buffers the
 * entry count it was handed out with (count < 0: not checked); anything else is a bad free. */
static int fake_free(void *p, uint32_t kind, int64_t count) {
    if (!p) return 1;
    AllocHeader *h = ((AllocHeader *)p) - 1;
    if (h->magic != MAGIC || h->kind != kind || (count >= 0 && (int64_t)h->count != count)) {
        atomic_add(&bad_frees, 1);
        return 0;
    }
    h->magic = 0;
    /* A binding that reads a buffer after freeing it (a SID, a name) then reads garbage every time. */
    memset(p, 0xDD, h->size);
    free(h);
    atomic_add(&outstanding, -1);
    return 1;
}

/* ---------- the scenario ---------- */

static void write_report(void) {
    if (!report_path[0]) return;
    FILE *f = fopen(report_path, "w");
    if (!f) return;
    fprintf(f, "outstanding=%lld\nopen_handles=%lld\nbad_frees=%lld\n", (long long)atomic_get(&outstanding), (long long)atomic_get(&open_handles),
            (long long)atomic_get(&bad_frees));
    fclose(f);
}

static int eq_nocase(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? *a + 32 : *a, y = (*b >= 'A' && *b <= 'Z') ? *b + 32 : *b;
        if (x != y) return 0;
    }
    return *a == *b;
}

static Server *find_server(const char *name) {
    for (int i = 0; i < MAX_SERVERS; i++)
        if (servers[i].used && eq_nocase(servers[i].name, name)) return &servers[i];
    return NULL;
}

static Session *find_session(Server *s, uint32_t id) {
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (s->sessions[i].used && s->sessions[i].id == id) return &s->sessions[i];
    return NULL;
}

static int64_t now_filetime(void) {
#ifdef _WIN32
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    return ((int64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
#else
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t)ts.tv_sec + 11644473600LL) * 10000000LL + ts.tv_nsec / 100;
#endif
}

EXPORT int FakeWts_SetServer(const char *name, int latency_ms, int failure, int hang) {
    lock_take(&state_lock);
    Server *s = find_server(name);
    if (!s) {
        for (int i = 0; i < MAX_SERVERS && !s; i++)
            if (!servers[i].used) s = &servers[i];
        if (!s) { lock_give(&state_lock); return 0; }
        memset(s, 0, sizeof(*s));
        s->used = 1;
        s->process_level = 1;
        snprintf(s->name, sizeof(s->name), "%s", name);
    }
    s->latency_ms = latency_ms;
    s->failure = failure;
    s->hang = hang;
    s->hang_result = 1722;
    lock_give(&state_lock);
    return 1;
}

/* A hung call, once released, fails with `code`, or (0) carries on and answers normally. */
EXPORT int FakeWts_SetHangResult(const char *name, int code) {
    lock_take(&state_lock);
    Server *s = find_server(name);
    if (s) s->hang_result = code;
    lock_give(&state_lock);
    return s != NULL;
}

EXPORT int FakeWts_SetOpFailure(const char *server, const char *op, int code) {
    int ok = 0;
    lock_take(&state_lock);
    Server *s = find_server(server);
    for (int i = 0; s && i < OP_COUNT; i++)
        if (strcmp(OP_NAMES[i], op) == 0) { s->op_failure[i] = code; ok = 1; }
    lock_give(&state_lock);
    return ok;
}

static int op_index(const char *op) {
    for (int i = 0; i < OP_COUNT; i++)
        if (strcmp(OP_NAMES[i], op) == 0) return i;
    return -1;
}

/* A failure of `op` only for info class `cls` and/or session `session` (-1: any); code 0 removes it. */
EXPORT int FakeWts_SetFailureFor(const char *server, const char *op, int cls, int64_t session, int code) {
    int i = op_index(op), ok = 0;
    lock_take(&state_lock);
    Server *s = find_server(server);
    if (s && i >= 0) {
        int k = 0;
        for (int r = 0; r < s->rule_count; r++) /* drop the rule this one replaces */
            if (!(s->rules[r].op == i && s->rules[r].cls == cls && s->rules[r].session == session)) s->rules[k++] = s->rules[r];
        s->rule_count = k;
        if (code && k < MAX_RULES) {
            s->rules[k].op = i; s->rules[k].cls = cls; s->rules[k].session = session; s->rules[k].code = code;
            s->rule_count++;
        }
        ok = !code || k < MAX_RULES;
    }
    lock_give(&state_lock);
    return ok;
}

/* The scripted failure for this call, or 0. Caller holds the lock. */
static int rule_failure(Server *s, int op, int cls, int64_t session) {
    for (int r = 0; r < s->rule_count; r++)
        if (s->rules[r].op == op && (s->rules[r].cls < 0 || s->rules[r].cls == cls) && (s->rules[r].session < 0 || s->rules[r].session == session))
            return s->rules[r].code;
    return 0;
}

/* The level WTSEnumerateProcessesExW answers at, whatever was asked (1 by default; 0 as some servers do). */
EXPORT int FakeWts_SetProcessLevel(const char *server, uint32_t level) {
    lock_take(&state_lock);
    Server *s = find_server(server);
    if (s) s->process_level = level;
    lock_give(&state_lock);
    return s != NULL;
}

/* "S-1-5-21-1-2-3-1001" to a binary SID; returns its length, or 0 for text that is not a SID. */
static uint32_t parse_sid(const char *text, uint8_t *out) {
    if (!text || strncmp(text, "S-1-", 4) != 0) return 0;
    const char *p = text + 4;
    char *end;
    unsigned long long authority = strtoull(p, &end, 10);
    if (end == p) return 0;
    memset(out, 0, SID_MAX_BYTES);
    out[0] = 1;
    for (int i = 0; i < 6; i++) out[7 - i] = (uint8_t)(authority >> (8 * i));
    uint32_t n = 0;
    for (p = end; *p == '-' && n < 15; n++) {
        unsigned long v = strtoul(p + 1, &end, 10);
        if (end == p + 1) return 0;
        uint32_t v32 = (uint32_t)v;
        memcpy(out + 8 + 4 * n, &v32, 4);
        p = end;
    }
    if (*p) return 0;
    out[1] = (uint8_t)n;
    return 8 + 4 * n;
}

/* A process of a session: `sid` NULL or "" for none (the idle process, or a token the caller may not read). */
EXPORT int FakeWts_AddProcess(const char *server, uint32_t session, uint32_t pid, const char *image, const char *sid, uint32_t working_set) {
    int ok = 0;
    lock_take(&state_lock);
    Server *s = find_server(server);
    for (int i = 0; s && i < MAX_PROCESSES && !ok; i++) {
        Process *p = &processes[i];
        if (p->used) continue;
        memset(p, 0, sizeof(*p));
        p->server = s;
        p->session = session;
        p->pid = pid;
        p->working_set = working_set;
        snprintf(p->image, NAME_LEN, "%s", image ? image : "");
        if (sid && sid[0] && !(p->sid_len = parse_sid(sid, p->sid))) break;
        p->used = 1;
        ok = 1;
    }
    lock_give(&state_lock);
    return ok;
}

static void remove_processes(Server *s, int64_t session) {
    for (int i = 0; i < MAX_PROCESSES; i++)
        if (processes[i].used && processes[i].server == s && (session < 0 || processes[i].session == (uint32_t)session)) processes[i].used = 0;
}

EXPORT int FakeWts_ClearProcesses(const char *server) {
    lock_take(&state_lock);
    Server *s = find_server(server);
    if (s) remove_processes(s, -1);
    lock_give(&state_lock);
    return s != NULL;
}

/* Accounts LookupAccountSidW knows besides the well-known ones, per server ("" or "*": every server). */
static struct { char server[256], sid[128], name[NAME_LEN], domain[NAME_LEN]; int used; } accounts[MAX_ACCOUNTS];

EXPORT int FakeWts_AddAccount(const char *server, const char *sid, const char *name, const char *domain) {
    int ok = 0;
    lock_take(&state_lock);
    for (int i = 0; i < MAX_ACCOUNTS && !ok; i++) {
        if (accounts[i].used) continue;
        snprintf(accounts[i].server, sizeof(accounts[i].server), "%s", strcmp(server, "*") == 0 ? "" : server);
        snprintf(accounts[i].sid, sizeof(accounts[i].sid), "%s", sid);
        snprintf(accounts[i].name, NAME_LEN, "%s", name);
        snprintf(accounts[i].domain, NAME_LEN, "%s", domain);
        accounts[i].used = ok = 1;
    }
    lock_give(&state_lock);
    return ok;
}

/* Times are minutes before now; a negative value means unknown (FILETIME 0). */
EXPORT int FakeWts_AddSession(const char *server, uint32_t id, int state, const char *station, const char *user,
                              const char *domain, const char *client, const char *address, int logon_min_ago,
                              int idle_min) {
    int ok = 0;
    lock_take(&state_lock);
    Server *s = find_server(server);
    if (s) {
        Session *x = find_session(s, id);
        for (int i = 0; i < MAX_SESSIONS && !x; i++)
            if (!s->sessions[i].used) x = &s->sessions[i];
        if (x) {
            int64_t now = now_filetime(), minute = 600000000LL;
            memset(x, 0, sizeof(*x));
            x->used = 1;
            x->id = id;
            x->state = state;
            snprintf(x->station, NAME_LEN, "%s", station ? station : "");
            snprintf(x->user, NAME_LEN, "%s", user ? user : "");
            snprintf(x->domain, NAME_LEN, "%s", domain ? domain : "");
            snprintf(x->client, NAME_LEN, "%s", client ? client : "");
            unsigned a, b, c, d;
            if (address && sscanf(address, "%u.%u.%u.%u", &a, &b, &c, &d) == 4) {
                x->address[0] = (uint8_t)a; x->address[1] = (uint8_t)b; x->address[2] = (uint8_t)c; x->address[3] = (uint8_t)d;
                x->has_address = 1;
            }
            if (logon_min_ago >= 0) x->logon = now - logon_min_ago * minute;
            if (idle_min >= 0) {
                x->last_input = now - idle_min * minute;
                if (state == 4) x->disconnect = x->last_input;
            }
            ok = 1;
        }
    }
    lock_give(&state_lock);
    return ok;
}

EXPORT int FakeWts_RemoveSession(const char *server, uint32_t id) {
    lock_take(&state_lock);
    Server *s = find_server(server);
    Session *x = s ? find_session(s, id) : NULL;
    if (x) { x->used = 0; remove_processes(s, id); }
    lock_give(&state_lock);
    return x != NULL;
}

EXPORT void FakeWts_Reset(void) {
    lock_take(&state_lock);
    memset(servers, 0, sizeof(servers));
    memset(processes, 0, sizeof(processes));
    memset(accounts, 0, sizeof(accounts));
    for (int i = 0; i < OP_COUNT; i++) calls[i] = 0;
    max_in_flight = in_flight;
    lock_give(&state_lock);
    atomic_add(&hang_generation, 1);
}

/* Hung calls return (failing with 1722, as RPC eventually does) once released. */
EXPORT void FakeWts_ReleaseHangs(void) { atomic_add(&hang_generation, 1); }
/* Calls waiting on a server at once (latency or hang), and the most seen since the last reset. */
EXPORT int64_t FakeWts_MaxConcurrent(void) { return atomic_get(&max_in_flight); }

EXPORT int64_t FakeWts_Outstanding(void) { return atomic_get(&outstanding); }
EXPORT int64_t FakeWts_BadFrees(void) { return atomic_get(&bad_frees); }
EXPORT int64_t FakeWts_OpenHandles(void) { return atomic_get(&open_handles); }
EXPORT int64_t FakeWts_Calls(const char *op) {
    for (int i = 0; i < OP_COUNT; i++)
        if (strcmp(OP_NAMES[i], op) == 0) return atomic_get(&calls[i]);
    return -1;
}

static void record_change(const char *line) {
    if (replaying || !state_path[0]) return;
    FILE *f = fopen(state_path, "a");
    if (!f) return;
    fprintf(f, "%s\n", line);
    fclose(f);
}

static int state_code(const char *word) {
    static const char *names[] = {"Active", "Connected", "ConnectQuery", "Shadow", "Disconnected", "Idle", "Listen", "Reset", "Down", "Init"};
    for (int i = 0; i < 10; i++)
        if (eq_nocase(names[i], word)) return i;
    return atoi(word);
}

/* Scenario lines:
 *   server <name> [latency=<ms>] [failure=<code>] [hang=1]
 *   session <server> <id> <state> <station|-> <user|-> <domain|-> <client|-> <ipv4|-> <logon-min-ago> <idle-min>
 *   opfail <server> <op> <code> [class=<info class>] [session=<id>]
 *   process <server> <session> <pid> <image> <sid|-> <working-set-bytes>
 *   account <server|*> <sid> <name> <domain>
 *   proclevel <server> <level>
 * State lines (replayed): logoff <server> <id> | disconnect <server> <id> | message <server> <id> */
static void apply_line(char *line) {
    char *argv[16];
    int argc = 0;
    for (char *tok = strtok(line, " \t\r\n"); tok && argc < 16; tok = strtok(NULL, " \t\r\n")) argv[argc++] = tok;
    if (argc == 0 || argv[0][0] == '#') return;
#define OPT(i) (strcmp(argv[i], "-") == 0 ? "" : argv[i])
    if (strcmp(argv[0], "server") == 0 && argc >= 2) {
        int latency = 0, failure = 0, hang = 0;
        for (int i = 2; i < argc; i++) {
            if (strncmp(argv[i], "latency=", 8) == 0) latency = atoi(argv[i] + 8);
            if (strncmp(argv[i], "failure=", 8) == 0) failure = atoi(argv[i] + 8);
            if (strncmp(argv[i], "hang=", 5) == 0) hang = atoi(argv[i] + 5);
        }
        FakeWts_SetServer(argv[1], latency, failure, hang);
    } else if (strcmp(argv[0], "session") == 0 && argc >= 12) {
        FakeWts_AddSession(argv[1], (uint32_t)strtoul(argv[2], NULL, 10), state_code(argv[3]), OPT(4), OPT(5), OPT(6), OPT(7), OPT(8),
                           atoi(argv[10]), atoi(argv[11]));
        (void)argv[9];
    } else if (strcmp(argv[0], "opfail") == 0 && argc >= 4) {
        int cls = -1;
        int64_t session = -1;
        for (int i = 4; i < argc; i++) {
            if (strncmp(argv[i], "class=", 6) == 0) cls = atoi(argv[i] + 6);
            if (strncmp(argv[i], "session=", 8) == 0) session = strtoll(argv[i] + 8, NULL, 10);
        }
        if (cls < 0 && session < 0) FakeWts_SetOpFailure(argv[1], argv[2], atoi(argv[3]));
        else FakeWts_SetFailureFor(argv[1], argv[2], cls, session, atoi(argv[3]));
    } else if (strcmp(argv[0], "process") == 0 && argc >= 7) {
        FakeWts_AddProcess(argv[1], (uint32_t)strtoul(argv[2], NULL, 10), (uint32_t)strtoul(argv[3], NULL, 10), argv[4], OPT(5),
                           (uint32_t)strtoul(argv[6], NULL, 10));
    } else if (strcmp(argv[0], "account") == 0 && argc >= 5) {
        FakeWts_AddAccount(argv[1], argv[2], argv[3], argv[4]);
    } else if (strcmp(argv[0], "proclevel") == 0 && argc >= 3) {
        FakeWts_SetProcessLevel(argv[1], (uint32_t)strtoul(argv[2], NULL, 10));
    } else if ((strcmp(argv[0], "logoff") == 0 || strcmp(argv[0], "disconnect") == 0) && argc >= 3) {
        Server *s = find_server(argv[1]);
        Session *x = s ? find_session(s, (uint32_t)strtoul(argv[2], NULL, 10)) : NULL;
        if (x && argv[0][0] == 'l') { x->used = 0; remove_processes(s, x->id); }
        if (x && argv[0][0] == 'd') { x->state = 4; x->station[0] = 0; x->client[0] = 0; x->has_address = 0; x->disconnect = now_filetime(); }
    }
#undef OPT
}

static void load_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return;
    char line[1024];
    while (fgets(line, sizeof(line), f)) apply_line(line);
    fclose(f);
}

static void init_once(void) {
    if (initialized) return;
    initialized = 1;
    lock_init(&state_lock);
    const char *r = getenv("FAKEWTS_REPORT");
    const char *st = getenv("FAKEWTS_STATE");
    const char *sc = getenv("FAKEWTS_SCENARIO");
    if (r) snprintf(report_path, sizeof(report_path), "%s", r);
    if (st) snprintf(state_path, sizeof(state_path), "%s", st);
    if (sc) load_file(sc);
    if (st) { replaying = 1; load_file(st); replaying = 0; }
    write_report();
}

#ifdef _WIN32
BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved) {
    (void)inst; (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) init_once();
    if (reason == DLL_PROCESS_DETACH) write_report();
    return TRUE;
}
#else
__attribute__((constructor)) static void on_load(void) { init_once(); }
__attribute__((destructor)) static void on_unload(void) { write_report(); }
#endif

/* ---------- helpers shared by the exports ---------- */

static void to_utf8(const WCH *w, char *out, size_t n) {
    size_t i = 0;
    for (; w && w[i] && i + 1 < n; i++) out[i] = (char)(w[i] < 128 ? w[i] : '?');
    out[i] = 0;
}

static size_t wlen(const char *s) { return strlen(s) + 1; }

static WCH *put_wide(WCH *dst, const char *s) {
    size_t i = 0;
    for (; s[i]; i++) dst[i] = (WCH)(unsigned char)s[i];
    dst[i] = 0;
    return dst + i + 1;
}

/* Waits out the server's latency or hang; returns the server, or NULL with the error set. */
static Server *reach(void *handle, int op) {
    atomic_add(&calls[op], 1);
    FakeHandle *h = (FakeHandle *)handle;
    if (!h || h->magic != HANDLE_MAGIC) { set_error(6); return NULL; }
    lock_take(&state_lock);
    Server *s = find_server(h->server);
    int latency = s ? s->latency_ms : 0, hang = s ? s->hang : 0, hang_result = s ? s->hang_result : 0;
    lock_give(&state_lock);
    if (!s) { sleep_ms(latency); set_error(1722); return NULL; }
    int64_t now_in_flight = __atomic_add_fetch(&in_flight, 1, __ATOMIC_SEQ_CST), seen;
    while ((seen = atomic_get(&max_in_flight)) < now_in_flight &&
           !__atomic_compare_exchange_n(&max_in_flight, &seen, now_in_flight, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
    if (hang) {
        int64_t gen = atomic_get(&hang_generation);
        while (atomic_get(&hang_generation) == gen) sleep_ms(5);
    }
    if (latency > 0) sleep_ms(latency);
    atomic_add(&in_flight, -1);
    if (hang && hang_result) { set_error((uint32_t)hang_result); return NULL; }
    lock_take(&state_lock);
    int failure = s->failure ? s->failure : s->op_failure[op];
    lock_give(&state_lock);
    if (failure) { set_error((uint32_t)failure); return NULL; }
    return s;
}

/* ---------- wtsapi32 exports ---------- */

EXPORT void *FAKE_API WTSOpenServerW(const WCH *name) {
    FakeHandle *h = (FakeHandle *)calloc(1, sizeof(FakeHandle));
    if (!h) { set_error(8); return NULL; }
    h->magic = HANDLE_MAGIC;
    to_utf8(name, h->server, sizeof(h->server));
    atomic_add(&open_handles, 1);
    return h;
}

EXPORT void *FAKE_API WTSOpenServerExW(const WCH *name) { return WTSOpenServerW(name); }

EXPORT void FAKE_API WTSCloseServer(void *handle) {
    FakeHandle *h = (FakeHandle *)handle;
    if (!h || h->magic != HANDLE_MAGIC) return;
    h->magic = 0;
    free(h);
    atomic_add(&open_handles, -1);
    write_report();
}

/* WTS_SESSION_INFO_1W, 56 bytes on x64 */
typedef struct {
    uint32_t ExecEnvId;
    int32_t State;
    uint32_t SessionId;
    WCH *pSessionName, *pHostName, *pUserName, *pDomainName, *pFarmName;
} SessionInfo1;

/* WTS_SESSION_INFOW, 24 bytes on x64 */
typedef struct {
    uint32_t SessionId;
    WCH *pWinStationName;
    int32_t State;
} SessionInfo;

EXPORT BOOL32 FAKE_API WTSEnumerateSessionsExW(void *handle, uint32_t *level, uint32_t filter, SessionInfo1 **out, uint32_t *count) {
    (void)filter;
    if (!level || *level != 1 || !out || !count) { set_error(87); return 0; }
    Server *s = reach(handle, OP_ENUMEX);
    if (!s) return 0;
    lock_take(&state_lock);
    uint32_t n = 0;
    size_t chars = 0;
    for (int i = 0; i < MAX_SESSIONS; i++) {
        Session *x = &s->sessions[i];
        if (!x->used) continue;
        n++;
        chars += wlen(x->station) + wlen(s->name) + wlen(x->user) + wlen(x->domain) + 1;
    }
    SessionInfo1 *arr = (SessionInfo1 *)fake_alloc_n(n * sizeof(SessionInfo1) + chars * sizeof(WCH), KIND_SESSION_INFO_1, n);
    if (!arr) { lock_give(&state_lock); set_error(8); return 0; }
    WCH *w = (WCH *)(arr + n);
    uint32_t k = 0;
    for (int i = 0; i < MAX_SESSIONS; i++) {
        Session *x = &s->sessions[i];
        if (!x->used) continue;
        SessionInfo1 *e = &arr[k++];
        e->ExecEnvId = k;
        e->State = x->state;
        e->SessionId = x->id;
        e->pSessionName = w; w = put_wide(w, x->station);
        e->pHostName = w; w = put_wide(w, s->name);
        if (x->user[0]) { e->pUserName = w; w = put_wide(w, x->user); }
        if (x->domain[0]) { e->pDomainName = w; w = put_wide(w, x->domain); }
        e->pFarmName = NULL;
    }
    lock_give(&state_lock);
    *out = arr;
    *count = n;
    return FAKE_TRUE;
}

EXPORT BOOL32 FAKE_API WTSEnumerateSessionsW(void *handle, uint32_t reserved, uint32_t version, SessionInfo **out, uint32_t *count) {
    if (reserved != 0 || version != 1 || !out || !count) { set_error(87); return 0; }
    Server *s = reach(handle, OP_ENUM);
    if (!s) return 0;
    lock_take(&state_lock);
    uint32_t n = 0;
    size_t chars = 0;
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (s->sessions[i].used) { n++; chars += wlen(s->sessions[i].station); }
    SessionInfo *arr = (SessionInfo *)fake_alloc(n * sizeof(SessionInfo) + chars * sizeof(WCH), KIND_FREE_MEMORY);
    if (!arr) { lock_give(&state_lock); set_error(8); return 0; }
    WCH *w = (WCH *)(arr + n);
    uint32_t k = 0;
    for (int i = 0; i < MAX_SESSIONS; i++) {
        Session *x = &s->sessions[i];
        if (!x->used) continue;
        arr[k].SessionId = x->id;
        arr[k].State = x->state;
        arr[k].pWinStationName = w;
        w = put_wide(w, x->station);
        k++;
    }
    lock_give(&state_lock);
    *out = arr;
    *count = n;
    return FAKE_TRUE;
}

/* WTSINFOW, 216 bytes on x64 */
typedef struct {
    int32_t State;
    uint32_t SessionId;
    uint32_t IncomingBytes, OutgoingBytes, IncomingFrames, OutgoingFrames, IncomingCompressedBytes, OutgoingCompressedBytes;
    WCH WinStationName[32];
    WCH Domain[17];
    WCH UserName[21];
    int64_t ConnectTime, DisconnectTime, LastInputTime, LogonTime, CurrentTime;
} WtsInfo;

typedef struct {
    uint32_t AddressFamily;
    uint8_t Address[20];
} ClientAddress;

static void put_fixed(WCH *dst, size_t n, const char *s) {
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++) dst[i] = (WCH)(unsigned char)s[i];
    dst[i] = 0;
}

EXPORT BOOL32 FAKE_API WTSQuerySessionInformationW(void *handle, uint32_t id, int cls, WCH **out, uint32_t *bytes) {
    if (!out || !bytes) { set_error(87); return 0; }
    Server *s = reach(handle, OP_QUERY);
    if (!s) return 0;
    lock_take(&state_lock);
    int rule = rule_failure(s, OP_QUERY, cls, id);
    if (rule) { lock_give(&state_lock); set_error((uint32_t)rule); return 0; }
    Session *x = find_session(s, id);
    if (!x) { lock_give(&state_lock); set_error(7022); return 0; }
    void *buf = NULL;
    uint32_t size = 0;
    const char *text = NULL;
    switch (cls) {
    case 5: text = x->user; break;
    case 6: text = x->station; break;
    case 7: text = x->domain; break;
    case 10: text = x->client; break;
    case 4:
    case 8: {
        size = 4;
        uint32_t *v = (uint32_t *)fake_alloc(size, KIND_FREE_MEMORY);
        if (v) *v = cls == 4 ? x->id : (uint32_t)x->state;
        buf = v;
        break;
    }
    case 14: {
        size = sizeof(ClientAddress);
        ClientAddress *a = (ClientAddress *)fake_alloc(size, KIND_FREE_MEMORY);
        if (a && x->has_address) {
            a->AddressFamily = 2;
            memcpy(&a->Address[2], x->address, 4);
        }
        buf = a;
        break;
    }
    case 24: {
        size = sizeof(WtsInfo);
        WtsInfo *i = (WtsInfo *)fake_alloc(size, KIND_FREE_MEMORY);
        if (i) {
            i->State = x->state;
            i->SessionId = x->id;
            put_fixed(i->WinStationName, 32, x->station);
            put_fixed(i->Domain, 17, x->domain);
            put_fixed(i->UserName, 21, x->user);
            i->ConnectTime = x->logon;
            i->DisconnectTime = x->disconnect;
            i->LastInputTime = x->last_input;
            i->LogonTime = x->logon;
            i->CurrentTime = now_filetime();
            /* Counters that tell the fields apart: the binding must read each at its own offset. */
            i->IncomingBytes = x->id * 1000u + 11u;
            i->OutgoingBytes = x->id * 1000u + 22u;
            i->IncomingFrames = x->id * 1000u + 33u;
            i->OutgoingFrames = x->id * 1000u + 44u;
            i->IncomingCompressedBytes = 0xFFFFFFFFu;
            i->OutgoingCompressedBytes = 0xFFFFFFFFu;
        }
        buf = i;
        break;
    }
    default:
        lock_give(&state_lock);
        set_error(50);
        return 0;
    }
    if (text) {
        size = (uint32_t)(wlen(text) * sizeof(WCH));
        WCH *w = (WCH *)fake_alloc(size, KIND_FREE_MEMORY);
        if (w) put_wide(w, text);
        buf = w;
    }
    lock_give(&state_lock);
    if (!buf) { set_error(8); return 0; }
    *out = (WCH *)buf;
    *bytes = size;
    return FAKE_TRUE;
}

static BOOL32 act(void *handle, uint32_t id, int op, const char *verb) {
    Server *s = reach(handle, op);
    if (!s) return 0;
    lock_take(&state_lock);
    Session *x = find_session(s, id);
    uint32_t err = 0;
    if (!x) err = 7022;
    else if (x->state == 8) err = 7007;
    else if (op == OP_DISCONNECT && eq_nocase(x->station, "console")) err = 7041;
    else if (op == OP_LOGOFF) { x->used = 0; remove_processes(s, id); }
    else if (op == OP_DISCONNECT) {
        x->state = 4;
        x->station[0] = 0;
        x->client[0] = 0;
        x->has_address = 0;
        x->disconnect = now_filetime();
    }
    char line[512];
    snprintf(line, sizeof(line), "%s %s %u", verb, s->name, id);
    lock_give(&state_lock);
    if (err) { set_error(err); return 0; }
    record_change(line);
    return FAKE_TRUE;
}

EXPORT BOOL32 FAKE_API WTSLogoffSession(void *handle, uint32_t id, BOOL32 wait) { (void)wait; return act(handle, id, OP_LOGOFF, "logoff"); }
EXPORT BOOL32 FAKE_API WTSDisconnectSession(void *handle, uint32_t id, BOOL32 wait) { (void)wait; return act(handle, id, OP_DISCONNECT, "disconnect"); }

/* The last message shown, exactly as the lengths delimit it, for the tests to compare. */
#define MESSAGE_CHARS 2048
static WCH last_title[MESSAGE_CHARS], last_text[MESSAGE_CHARS];
static int64_t last_style, last_timeout, last_wait, messages_shown;

EXPORT const WCH *FakeWts_LastMessageTitle(void) { return last_title; }
EXPORT const WCH *FakeWts_LastMessageText(void) { return last_text; }
/* "count", "style", "timeout" or "wait". */
EXPORT int64_t FakeWts_LastMessageField(const char *field) {
    if (strcmp(field, "count") == 0) return messages_shown;
    if (strcmp(field, "style") == 0) return last_style;
    if (strcmp(field, "timeout") == 0) return last_timeout;
    if (strcmp(field, "wait") == 0) return last_wait;
    return -1;
}

EXPORT BOOL32 FAKE_API WTSSendMessageW(void *handle, uint32_t id, WCH *title, uint32_t title_bytes, WCH *message, uint32_t message_bytes,
                                       uint32_t style, uint32_t timeout, uint32_t *response, BOOL32 wait) {
    /* Lengths are in bytes and exclude the terminator: check them as Windows callers must pass them. */
    size_t tl = 0, ml = 0;
    while (title && title[tl]) tl++;
    while (message && message[ml]) ml++;
    if (!response || title_bytes != tl * 2 || message_bytes != ml * 2 || tl >= MESSAGE_CHARS || ml >= MESSAGE_CHARS) { set_error(87); return 0; }
    if (!act(handle, id, OP_MESSAGE, "message")) return 0;
    lock_take(&state_lock);
    memset(last_title, 0, sizeof(last_title));
    memset(last_text, 0, sizeof(last_text));
    memcpy(last_title, title, title_bytes);
    memcpy(last_text, message, message_bytes);
    last_style = style;
    last_timeout = timeout;
    last_wait = wait;
    messages_shown++;
    lock_give(&state_lock);
    /* A waited message: the user pressed OK (IDOK); not waited for: IDASYNC. */
    *response = wait ? 1 : 32001;
    return FAKE_TRUE;
}

EXPORT void FAKE_API WTSFreeMemory(void *p) { fake_free(p, KIND_FREE_MEMORY, -1); }

/* WTS_TYPE_CLASS: 0 WTSTypeProcessInfoLevel0, 1 WTSTypeProcessInfoLevel1, 2 WTSTypeSessionInfoLevel1.
 * The buffer must be of that type and `n` its entry count, as Windows walks the entries to free them. */
EXPORT BOOL32 FAKE_API WTSFreeMemoryExW(int type, void *p, uint32_t n) {
    static const uint32_t kinds[] = {KIND_PROCESS_INFO_0, KIND_PROCESS_INFO_1, KIND_SESSION_INFO_1};
    if (type < 0 || type > 2) { atomic_add(&bad_frees, 1); set_error(87); return 0; }
    if (!fake_free(p, kinds[type], n)) { set_error(87); return 0; }
    return FAKE_TRUE;
}

/* ---------- processes ---------- */

/* WTS_PROCESS_INFOW, 24 bytes on x64 */
typedef struct {
    uint32_t SessionId, ProcessId;
    WCH *pProcessName;
    void *pUserSid;
} ProcessInfo0;

/* WTS_PROCESS_INFO_EXW, 64 bytes on x64 */
typedef struct {
    uint32_t SessionId, ProcessId;
    WCH *pProcessName;
    void *pUserSid;
    uint32_t NumberOfThreads, HandleCount, PagefileUsage, PeakPagefileUsage, WorkingSetSize, PeakWorkingSetSize;
    int64_t UserTime, KernelTime;
} ProcessInfo1;

/* One buffer: the entries, then the SIDs (4-byte aligned), then the names, as wtsapi32 lays them out.
 * Level 1 entries are WTS_PROCESS_INFO_EXW; level 0 and the old call's are WTS_PROCESS_INFOW. */
static void *process_buffer(Server *s, uint32_t session, int ex, uint32_t level, uint32_t *count) {
    size_t entry = level == 1 ? sizeof(ProcessInfo1) : sizeof(ProcessInfo0), sids = 0, chars = 0;
    uint32_t n = 0;
    for (int i = 0; i < MAX_PROCESSES; i++) {
        Process *p = &processes[i];
        if (!p->used || p->server != s || (session != WTS_ANY_SESSION && p->session != session)) continue;
        n++;
        sids += p->sid_len;
        chars += wlen(p->image);
    }
    uint32_t kind = !ex ? KIND_FREE_MEMORY : level == 1 ? KIND_PROCESS_INFO_1 : KIND_PROCESS_INFO_0;
    uint8_t *buf = (uint8_t *)fake_alloc_n(n * entry + sids + chars * sizeof(WCH), kind, n);
    if (!buf) return NULL;
    uint8_t *sid_at = buf + n * entry;
    WCH *w = (WCH *)(sid_at + sids);
    uint32_t k = 0;
    for (int i = 0; i < MAX_PROCESSES; i++) {
        Process *p = &processes[i];
        if (!p->used || p->server != s || (session != WTS_ANY_SESSION && p->session != session)) continue;
        ProcessInfo0 *e = (ProcessInfo0 *)(buf + k * entry);
        e->SessionId = p->session;
        e->ProcessId = p->pid;
        e->pProcessName = w;
        w = put_wide(w, p->image);
        if (p->sid_len) {
            memcpy(sid_at, p->sid, p->sid_len);
            e->pUserSid = sid_at;
            sid_at += p->sid_len;
        }
        if (level == 1) {
            ProcessInfo1 *x = (ProcessInfo1 *)e;
            x->NumberOfThreads = 4 + p->pid % 30;
            x->HandleCount = 100 + p->pid % 900;
            x->WorkingSetSize = p->working_set;
            x->PeakWorkingSetSize = p->working_set + p->working_set / 4;
            x->PagefileUsage = p->working_set / 2;
            x->PeakPagefileUsage = p->working_set;
        }
        k++;
    }
    *count = n;
    return buf;
}

static BOOL32 enumerate_processes(void *handle, int op, uint32_t session, uint32_t level, void **out, uint32_t *count) {
    Server *s = reach(handle, op);
    if (!s) return 0;
    lock_take(&state_lock);
    int rule = rule_failure(s, op, -1, session);
    void *buf = rule ? NULL : process_buffer(s, session, op == OP_PROCEX, level, count);
    lock_give(&state_lock);
    if (rule) { set_error((uint32_t)rule); return 0; }
    if (!buf) { set_error(8); return 0; }
    *out = buf;
    return FAKE_TRUE;
}

EXPORT BOOL32 FAKE_API WTSEnumerateProcessesExW(void *handle, uint32_t *level, uint32_t session, void **out, uint32_t *count) {
    if (!level || *level > 1 || !out || !count) { set_error(87); return 0; }
    FakeHandle *h = (FakeHandle *)handle;
    lock_take(&state_lock);
    Server *s = h && h->magic == HANDLE_MAGIC ? find_server(h->server) : NULL;
    /* Asked for level 1, a server may answer at level 0 (and says so through *level). */
    uint32_t answer = s && *level == 1 ? s->process_level : *level;
    lock_give(&state_lock);
    if (!enumerate_processes(handle, OP_PROCEX, session, answer, out, count)) return 0;
    *level = answer;
    return FAKE_TRUE;
}

EXPORT BOOL32 FAKE_API WTSEnumerateProcessesW(void *handle, uint32_t reserved, uint32_t version, void **out, uint32_t *count) {
    if (reserved != 0 || version != 1 || !out || !count) { set_error(87); return 0; }
    return enumerate_processes(handle, OP_PROC, WTS_ANY_SESSION, 0, out, count);
}

#ifndef _WIN32
/* ---------- advapi32's LookupAccountSidW (Linux tests only; under Wine it is Wine's own) ---------- */

static void sid_text(const uint8_t *sid, char *out, size_t n) {
    unsigned long long authority = 0;
    for (int i = 2; i < 8; i++) authority = (authority << 8) | sid[i];
    int used = snprintf(out, n, "S-%u-%llu", sid[0], authority);
    for (int i = 0; i < sid[1] && used > 0 && (size_t)used < n; i++) {
        uint32_t v;
        memcpy(&v, sid + 8 + 4 * i, 4);
        used += snprintf(out + used, n - (size_t)used, "-%u", v);
    }
}

/* The names Windows gives well-known SIDs (in English). */
static int well_known(const char *sid, char *name, char *domain, int32_t *use) {
    unsigned n;
    if (strcmp(sid, "S-1-5-18") == 0) { strcpy(name, "SYSTEM"); strcpy(domain, "NT AUTHORITY"); *use = 5; return 1; }
    if (strcmp(sid, "S-1-5-19") == 0) { strcpy(name, "LOCAL SERVICE"); strcpy(domain, "NT AUTHORITY"); *use = 5; return 1; }
    if (strcmp(sid, "S-1-5-20") == 0) { strcpy(name, "NETWORK SERVICE"); strcpy(domain, "NT AUTHORITY"); *use = 5; return 1; }
    if (sscanf(sid, "S-1-5-90-0-%u", &n) == 1) { snprintf(name, NAME_LEN, "DWM-%u", n); strcpy(domain, "Window Manager"); *use = 5; return 1; }
    if (sscanf(sid, "S-1-5-96-0-%u", &n) == 1) { snprintf(name, NAME_LEN, "UMFD-%u", n); strcpy(domain, "Font Driver Host"); *use = 5; return 1; }
    return 0;
}

/* Sizes as Windows reports them: too small (or zero) buffers fail with 122 and both counts set to the
 * characters needed with the NUL; on success both are set to the lengths without it. */
EXPORT int32_t LookupAccountSidW(const WCH *system, const void *psid, WCH *name, uint32_t *cch_name, WCH *domain, uint32_t *cch_domain, int32_t *use) {
    atomic_add(&calls[OP_LOOKUP], 1);
    if (!psid || !cch_name || !cch_domain || !use) { set_error(87); return 0; }
    const uint8_t *sid = (const uint8_t *)psid;
    if (sid[0] != 1 || sid[1] > 15) { set_error(1337); return 0; }
    char server[256] = "", text[160], found_name[NAME_LEN] = "", found_domain[NAME_LEN] = "";
    to_utf8(system, server, sizeof(server));
    sid_text(sid, text, sizeof(text));
    int32_t kind = 1;
    lock_take(&state_lock);
    Server *s = find_server(server);
    int failure = !s ? 1722 : s->failure ? s->failure : s->op_failure[OP_LOOKUP];
    int found = failure ? 0 : well_known(text, found_name, found_domain, &kind);
    for (int i = 0; !failure && !found && i < MAX_ACCOUNTS; i++) {
        if (!accounts[i].used || strcmp(accounts[i].sid, text) != 0) continue;
        if (accounts[i].server[0] && !eq_nocase(accounts[i].server, server)) continue;
        snprintf(found_name, NAME_LEN, "%s", accounts[i].name);
        snprintf(found_domain, NAME_LEN, "%s", accounts[i].domain);
        found = 1;
    }
    lock_give(&state_lock);
    if (failure) { set_error((uint32_t)failure); return 0; }
    if (!found) { set_error(1332); return 0; }
    uint32_t nl = (uint32_t)strlen(found_name), dl = (uint32_t)strlen(found_domain);
    if (!name || !domain || *cch_name <= nl || *cch_domain <= dl) {
        *cch_name = nl + 1;
        *cch_domain = dl + 1;
        set_error(122);
        return 0;
    }
    put_wide(name, found_name);
    put_wide(domain, found_domain);
    *cch_name = nl;
    *cch_domain = dl;
    *use = kind;
    return FAKE_TRUE;
}
#endif

/* The x64 layouts the binding decodes (wts-api.md): fail the build, not the test, if they drift. */
_Static_assert(sizeof(void *) != 8 || sizeof(SessionInfo1) == 56, "WTS_SESSION_INFO_1W is 56 bytes on x64");
_Static_assert(sizeof(void *) != 8 || sizeof(SessionInfo) == 24, "WTS_SESSION_INFOW is 24 bytes on x64");
_Static_assert(sizeof(WtsInfo) == 216, "WTSINFOW is 216 bytes");
_Static_assert(sizeof(ClientAddress) == 24, "WTS_CLIENT_ADDRESS is 24 bytes");
_Static_assert(sizeof(void *) != 8 || sizeof(ProcessInfo0) == 24, "WTS_PROCESS_INFOW is 24 bytes on x64");
_Static_assert(sizeof(void *) != 8 || sizeof(ProcessInfo1) == 64, "WTS_PROCESS_INFO_EXW is 64 bytes on x64");
