/*
 * c-subscriber: reads Eventloom events from NATS JetStream using nothing but
 * the official NATS C client (libnats) and protobuf-c.
 *
 * It binds a durable pull consumer to the EVENTLOOM stream, decodes each
 * message (a binary eventloom.v1.EventEnvelope whose `data` holds the event
 * message named by `type`), prints one tab-separated line per event on
 * stdout and only then acknowledges the message. Because the line is flushed
 * before the ack, a crash can repeat a line but never lose one
 * (at-least-once delivery).
 *
 * Output, one line per event:
 *   <position> <event_id> <tenant_id> <stream_id> <stream_version> <type> <payload>
 * (separated by tabs). See README.md for the payload formats.
 *
 * Exit status:
 *   0  done (--count reached, --idle-exit elapsed, or SIGINT/SIGTERM)
 *   1  runtime failure: connection, JetStream, missing stream, output
 *   2  bad command line
 *   3  consistency check failed: NATS headers disagree with the envelope
 *   4  a payload does not decode
 */
#define _POSIX_C_SOURCE 200809L /* sigaction, clock_gettime, nanosleep */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nats/nats.h>

/* Generated at build time by protoc-c from schemas/ (see the Makefile). */
#include "eventloom/v1/envelope.pb-c.h"
#include "eventloom/v1/locks.pb-c.h"

#define PROGRAM "c-subscriber"

enum exit_status {
    EXIT_STATUS_OK = 0,
    EXIT_STATUS_RUNTIME = 1,
    EXIT_STATUS_USAGE = 2,
    EXIT_STATUS_MISMATCH = 3,
    EXIT_STATUS_UNDECODABLE = 4,
};

/* NATS header names fixed by the NATS broadcasting contract.
 * libnats compares header keys case-sensitively, so the spelling matters. */
#define HEADER_MSG_ID "Nats-Msg-Id"
#define HEADER_POSITION "Eventloom-Position"

/* Values of EventEnvelope.data_content_type. */
#define MEDIA_PROTOBUF "application/protobuf"
#define MEDIA_JSON "application/json"

/* How long one Fetch waits for messages. Short enough that SIGINT and
 * --idle-exit are noticed promptly, long enough not to spin. */
#define FETCH_WAIT_MS 1000
#define MAX_BATCH 10000
#define MAX_BATCH_TEXT "10000" /* MAX_BATCH, for messages */

/* ------------------------------------------------------------------------ */
/* Command line                                                             */
/* ------------------------------------------------------------------------ */

struct options {
    const char *url;
    const char *durable;
    const char *subject;
    const char *stream;
    uint64_t count;      /* stop after this many events; 0 = no limit */
    int64_t idle_exit_ms; /* stop after this long without a message; 0 = never */
    int batch;
};

static void print_usage(FILE *out)
{
    fprintf(out,
            "Usage: " PROGRAM " --durable NAME [options]\n"
            "\n"
            "Consumes Eventloom events from NATS JetStream and prints one line per event:\n"
            "  <position>\\t<event_id>\\t<tenant_id>\\t<stream_id>\\t<stream_version>\\t<type>\\t<payload>\n"
            "\n"
            "Options:\n"
            "  --url URL            NATS server URL (default nats://127.0.0.1:4222)\n"
            "  --durable NAME       durable consumer name; progress is kept under it (required)\n"
            "  --subject FILTER     subject filter (default eventloom.>)\n"
            "  --stream NAME        JetStream stream (default EVENTLOOM); it must already exist\n"
            "  --count N            exit 0 after N events\n"
            "  --idle-exit SECONDS  exit 0 after SECONDS without a message\n"
            "  --batch N            messages per fetch, 1.." MAX_BATCH_TEXT " (default 256)\n"
            "  --help               show this help\n"
            "\n"
            "Without --count or --idle-exit it runs until SIGINT or SIGTERM.\n"
            "Exit status: 0 ok, 1 runtime error, 2 usage, 3 header/envelope mismatch,\n"
            "4 undecodable payload.\n");
}

static int usage_error(const char *message, const char *detail)
{
    fprintf(stderr, PROGRAM ": %s%s%s\n", message, detail ? ": " : "", detail ? detail : "");
    fprintf(stderr, "Try '" PROGRAM " --help'.\n");
    return EXIT_STATUS_USAGE;
}

/* Parses a whole decimal string in [min, max]; rejects signs, blanks, junk. */
static bool parse_uint(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!isdigit((unsigned char)text[0]))
        return false;
    errno = 0;
    char *end = NULL;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < min || value > max)
        return false;
    *out = (uint64_t)value;
    return true;
}

/* Parses a positive number of seconds (fractions allowed) into milliseconds. */
static bool parse_seconds(const char *text, int64_t *out_ms)
{
    if (!isdigit((unsigned char)text[0]) && text[0] != '.')
        return false;
    errno = 0;
    char *end = NULL;
    double seconds = strtod(text, &end);
    if (errno != 0 || *end != '\0' || !(seconds > 0) || seconds > 1e9)
        return false;
    *out_ms = (int64_t)(seconds * 1000.0 + 0.5);
    if (*out_ms < 1)
        *out_ms = 1;
    return true;
}

/* JetStream consumer names become subject tokens, so the characters that
 * are special in subjects (and whitespace) are not allowed. */
static bool valid_durable_name(const char *name)
{
    if (name[0] == '\0')
        return false;
    for (const char *p = name; *p; p++) {
        if (*p == '.' || *p == '*' || *p == '>' || isspace((unsigned char)*p) || iscntrl((unsigned char)*p))
            return false;
    }
    return true;
}

/* Accepts "--name value" and "--name=value". Returns the value, or NULL
 * when the argument at *index is not this option. */
static const char *option_value(int argc, char **argv, int *index, const char *name, bool *missing)
{
    const char *arg = argv[*index];
    size_t name_len = strlen(name);
    if (strncmp(arg, name, name_len) != 0)
        return NULL;
    if (arg[name_len] == '=')
        return arg + name_len + 1;
    if (arg[name_len] != '\0')
        return NULL;
    if (*index + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    *index += 1;
    return argv[*index];
}

/* Fills `opts` from argv. Returns -1 to continue, or an exit status
 * (0 after --help, 2 on a bad command line). */
static int parse_options(int argc, char **argv, struct options *opts)
{
    *opts = (struct options){
        .url = "nats://127.0.0.1:4222",
        .subject = "eventloom.>",
        .stream = "EVENTLOOM",
        .batch = 256,
    };

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool missing = false;
        const char *value;
        uint64_t number;

        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_usage(stdout);
            return EXIT_STATUS_OK;
        } else if ((value = option_value(argc, argv, &i, "--url", &missing))) {
            opts->url = value;
        } else if ((value = option_value(argc, argv, &i, "--durable", &missing))) {
            opts->durable = value;
        } else if ((value = option_value(argc, argv, &i, "--subject", &missing))) {
            opts->subject = value;
        } else if ((value = option_value(argc, argv, &i, "--stream", &missing))) {
            opts->stream = value;
        } else if ((value = option_value(argc, argv, &i, "--count", &missing))) {
            if (!parse_uint(value, 1, UINT64_MAX, &number))
                return usage_error("--count needs a positive integer", value);
            opts->count = number;
        } else if ((value = option_value(argc, argv, &i, "--idle-exit", &missing))) {
            if (!parse_seconds(value, &opts->idle_exit_ms))
                return usage_error("--idle-exit needs a positive number of seconds", value);
        } else if ((value = option_value(argc, argv, &i, "--batch", &missing))) {
            if (!parse_uint(value, 1, MAX_BATCH, &number))
                return usage_error("--batch needs an integer from 1 to " MAX_BATCH_TEXT, value);
            opts->batch = (int)number;
        } else if (missing) {
            return usage_error("option needs a value", arg);
        } else {
            return usage_error("unknown argument", arg);
        }
    }

    if (opts->durable == NULL)
        return usage_error("--durable NAME is required", NULL);
    if (!valid_durable_name(opts->durable))
        return usage_error("--durable must be non-empty without '.', '*', '>' or whitespace", opts->durable);
    if (opts->url[0] == '\0')
        return usage_error("--url must not be empty", NULL);
    if (opts->subject[0] == '\0')
        return usage_error("--subject must not be empty", NULL);
    if (opts->stream[0] == '\0')
        return usage_error("--stream must not be empty", NULL);
    return -1;
}

/* ------------------------------------------------------------------------ */
/* Signals and time                                                         */
/* ------------------------------------------------------------------------ */

/* Set from the signal handler; the fetch loop checks it between fetches,
 * so a batch that was already received is still printed and acknowledged. */
static volatile sig_atomic_t stop_requested = 0;

static void on_stop_signal(int signo)
{
    (void)signo;
    stop_requested = 1;
}

static void install_signal_handlers(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

/* Monotonic milliseconds: idle time must not jump with the wall clock. */
static int64_t monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
    struct timespec pause = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
    nanosleep(&pause, NULL);
}

/* ------------------------------------------------------------------------ */
/* Output                                                                   */
/* ------------------------------------------------------------------------ */

/* Writes a field verbatim except for control characters, which become a
 * space: every event must stay on one line with exactly seven tab-separated
 * fields. (In JSON text, control characters can only be insignificant
 * whitespace, so the JSON payload keeps its meaning.) */
static void put_text(FILE *out, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        fputc(c < 0x20 || c == 0x7f ? ' ' : c, out);
    }
}

static void put_string(FILE *out, const char *text)
{
    put_text(out, text, strlen(text));
}

/* google.protobuf.Timestamp as "<unix seconds>.<9-digit nanos>". An absent
 * timestamp prints as the proto3 default, 0.000000000. */
static void put_timestamp(FILE *out, const Google__Protobuf__Timestamp *ts)
{
    int64_t seconds = ts ? ts->seconds : 0;
    int32_t nanos = ts ? ts->nanos : 0;
    fprintf(out, "%" PRId64 ".%09" PRId32, seconds, nanos);
}

/* ------------------------------------------------------------------------ */
/* Event payloads                                                           */
/* ------------------------------------------------------------------------ */

static void print_lock_acquired(FILE *out, const ProtobufCMessage *message)
{
    const Eventloom__V1__LockAcquired *event = (const Eventloom__V1__LockAcquired *)message;
    fputs("holder=", out);
    put_string(out, event->holder);
    fputs(" acquired_at=", out);
    put_timestamp(out, event->acquired_at);
    fputs(" expires_at=", out);
    put_timestamp(out, event->expires_at);
}

static void print_lock_released(FILE *out, const ProtobufCMessage *message)
{
    const Eventloom__V1__LockReleased *event = (const Eventloom__V1__LockReleased *)message;
    fputs("holder=", out);
    put_string(out, event->holder);
    fputs(" released_at=", out);
    put_timestamp(out, event->released_at);
}

/* The event types this program understands. EventEnvelope.type is the
 * unqualified message name, so it selects the protobuf-c descriptor used to
 * decode `data`. Other types are still consumed; they print their size. */
struct event_type {
    const char *name;
    const ProtobufCMessageDescriptor *descriptor;
    void (*print)(FILE *out, const ProtobufCMessage *message);
};

static const struct event_type KNOWN_EVENT_TYPES[] = {
    { "LockAcquired", &eventloom__v1__lock_acquired__descriptor, print_lock_acquired },
    { "LockReleased", &eventloom__v1__lock_released__descriptor, print_lock_released },
};

static const struct event_type *find_event_type(const char *name)
{
    size_t n = sizeof KNOWN_EVENT_TYPES / sizeof KNOWN_EVENT_TYPES[0];
    for (size_t i = 0; i < n; i++) {
        if (strcmp(KNOWN_EVENT_TYPES[i].name, name) == 0)
            return &KNOWN_EVENT_TYPES[i];
    }
    return NULL;
}

/* True when `content_type` names `media_type`, ignoring case and any
 * parameters such as "; charset=utf-8". */
static bool is_media_type(const char *content_type, const char *media_type)
{
    size_t len = strlen(media_type);
    for (size_t i = 0; i < len; i++) {
        if (tolower((unsigned char)content_type[i]) != media_type[i])
            return false;
    }
    char next = content_type[len];
    return next == '\0' || next == ';' || next == ' ';
}

enum payload_kind {
    PAYLOAD_KNOWN_PROTOBUF, /* decoded and printed field by field */
    PAYLOAD_JSON,           /* printed as json=<text> */
    PAYLOAD_OPAQUE,         /* printed as bytes=<n> */
};

/* An empty data_content_type (proto3's default, left by a producer that
 * does not set it) means protobuf, the envelope's documented encoding. */
static enum payload_kind classify_payload(const Eventloom__V1__EventEnvelope *envelope,
                                          const struct event_type **type)
{
    const char *content_type = envelope->data_content_type;
    *type = NULL;
    if (is_media_type(content_type, MEDIA_JSON))
        return PAYLOAD_JSON;
    if (content_type[0] != '\0' && !is_media_type(content_type, MEDIA_PROTOBUF))
        return PAYLOAD_OPAQUE;
    *type = find_event_type(envelope->type);
    return *type ? PAYLOAD_KNOWN_PROTOBUF : PAYLOAD_OPAQUE;
}

/* ------------------------------------------------------------------------ */
/* One message                                                              */
/* ------------------------------------------------------------------------ */

/* The relay writes the cursor and the event id both into headers and into
 * the envelope; a disagreement means a broken producer or a corrupted
 * message, which a consumer must not silently accept. */
static bool header_matches(natsMsg *msg, const char *key, const char *expected, const char *event_id)
{
    const char *actual = NULL;
    if (natsMsgHeader_Get(msg, key, &actual) != NATS_OK || actual == NULL) {
        fprintf(stderr, PROGRAM ": consistency check failed for event %s: header %s is missing\n",
                event_id, key);
        return false;
    }
    if (strcmp(actual, expected) != 0) {
        fprintf(stderr,
                PROGRAM ": consistency check failed for event %s: header %s is \"%s\" but the envelope says \"%s\"\n",
                event_id, key, actual, expected);
        return false;
    }
    return true;
}

static int check_headers(natsMsg *msg, const Eventloom__V1__EventEnvelope *envelope)
{
    if (!header_matches(msg, HEADER_POSITION, envelope->position, envelope->event_id) ||
        !header_matches(msg, HEADER_MSG_ID, envelope->event_id, envelope->event_id))
        return EXIT_STATUS_MISMATCH;
    return EXIT_STATUS_OK;
}

/* Decodes the payload (if its type is known) before anything is written, so
 * an undecodable event never leaves half a line on stdout. */
static int print_event(FILE *out, const Eventloom__V1__EventEnvelope *envelope)
{
    const struct event_type *type = NULL;
    enum payload_kind kind = classify_payload(envelope, &type);
    ProtobufCMessage *payload = NULL;

    if (kind == PAYLOAD_KNOWN_PROTOBUF) {
        payload = protobuf_c_message_unpack(type->descriptor, NULL, envelope->data.len, envelope->data.data);
        if (payload == NULL) {
            fprintf(stderr, PROGRAM ": event %s at %s: data does not decode as %s (%zu bytes)\n",
                    envelope->event_id, envelope->position, type->descriptor->name, envelope->data.len);
            return EXIT_STATUS_UNDECODABLE;
        }
    }

    put_string(out, envelope->position);
    fputc('\t', out);
    put_string(out, envelope->event_id);
    fputc('\t', out);
    put_string(out, envelope->tenant_id);
    fputc('\t', out);
    put_string(out, envelope->stream_id);
    fprintf(out, "\t%" PRIu64 "\t", envelope->stream_version);
    put_string(out, envelope->type);
    fputc('\t', out);

    switch (kind) {
    case PAYLOAD_KNOWN_PROTOBUF:
        type->print(out, payload);
        break;
    case PAYLOAD_JSON:
        fputs("json=", out);
        put_text(out, (const char *)envelope->data.data, envelope->data.len);
        break;
    case PAYLOAD_OPAQUE:
        fprintf(out, "bytes=%zu", envelope->data.len);
        break;
    }
    fputc('\n', out);

    if (payload != NULL)
        protobuf_c_message_free_unpacked(payload, NULL);
    return EXIT_STATUS_OK;
}

/* The line must be on its way out before the ack: if stdout fails (full
 * disk, closed pipe) the message stays unacknowledged and is redelivered. */
static int flush_output(FILE *out)
{
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, PROGRAM ": cannot write to stdout: %s\n", strerror(errno));
        return EXIT_STATUS_RUNTIME;
    }
    return EXIT_STATUS_OK;
}

static int acknowledge(natsMsg *msg)
{
    natsStatus status = natsMsg_Ack(msg, NULL);
    if (status != NATS_OK) {
        fprintf(stderr, PROGRAM ": cannot acknowledge message: %s\n", natsStatus_GetText(status));
        return EXIT_STATUS_RUNTIME;
    }
    return EXIT_STATUS_OK;
}

/* Decode, check, print, flush, ack. Anything but EXIT_STATUS_OK leaves the
 * message unacknowledged (the caller naks it) and stops the program. */
static int handle_message(natsMsg *msg, FILE *out)
{
    const uint8_t *data = (const uint8_t *)natsMsg_GetData(msg);
    size_t len = (size_t)natsMsg_GetDataLength(msg);

    Eventloom__V1__EventEnvelope *envelope = eventloom__v1__event_envelope__unpack(NULL, len, data);
    if (envelope == NULL) {
        fprintf(stderr, PROGRAM ": message on %s is not an eventloom.v1.EventEnvelope (%zu bytes)\n",
                natsMsg_GetSubject(msg), len);
        return EXIT_STATUS_UNDECODABLE;
    }

    int status = check_headers(msg, envelope);
    if (status == EXIT_STATUS_OK)
        status = print_event(out, envelope);
    eventloom__v1__event_envelope__free_unpacked(envelope, NULL);

    if (status == EXIT_STATUS_OK)
        status = flush_output(out);
    if (status == EXIT_STATUS_OK)
        status = acknowledge(msg);
    return status;
}

/* ------------------------------------------------------------------------ */
/* NATS session                                                             */
/* ------------------------------------------------------------------------ */

struct session {
    natsOptions *options;
    natsConnection *connection;
    jsCtx *jetstream;
    natsSubscription *subscription;
};

/* The status text, plus the library's more specific last error when it
 * says something the status text does not. */
static void report_nats_error(const char *what, natsStatus status)
{
    const char *text = natsStatus_GetText(status);
    const char *detail = nats_GetLastError(NULL);

    /* Last errors look like "(conn.c:2088): message"; keep the message. */
    if (detail != NULL && detail[0] == '(') {
        const char *message = strstr(detail, "): ");
        if (message != NULL)
            detail = message + 3;
    }
    if (detail != NULL && detail[0] != '\0' && strstr(detail, text) == NULL)
        fprintf(stderr, PROGRAM ": %s: %s (%s)\n", what, text, detail);
    else
        fprintf(stderr, PROGRAM ": %s: %s\n", what, text);
}

static int connect_to_server(struct session *session, const struct options *opts)
{
    natsStatus status = natsOptions_Create(&session->options);
    if (status == NATS_OK)
        status = natsOptions_SetURL(session->options, opts->url);
    if (status == NATS_OK)
        status = natsOptions_SetName(session->options, "eventloom-c-subscriber");
    /* Once connected, ride out server restarts: the durable consumer keeps
     * our place, so reconnecting forever loses nothing. */
    if (status == NATS_OK)
        status = natsOptions_SetMaxReconnect(session->options, -1);
    if (status != NATS_OK) {
        report_nats_error("invalid connection options", status);
        return EXIT_STATUS_RUNTIME;
    }

    status = natsConnection_Connect(&session->connection, session->options);
    if (status != NATS_OK) {
        char what[512];
        snprintf(what, sizeof what, "cannot connect to NATS at %s", opts->url);
        report_nats_error(what, status);
        return EXIT_STATUS_RUNTIME;
    }

    status = natsConnection_JetStream(&session->jetstream, session->connection, NULL);
    if (status != NATS_OK) {
        report_nats_error("cannot create a JetStream context", status);
        return EXIT_STATUS_RUNTIME;
    }
    return EXIT_STATUS_OK;
}

/* The stream belongs to the Eventloom relay, which creates it with the
 * right subjects, storage and duplicate window. Creating it here would
 * hide a missing relay, so its absence is an error. */
static int require_stream(struct session *session, const struct options *opts)
{
    jsStreamInfo *info = NULL;
    jsErrCode js_error = 0;
    natsStatus status = js_GetStreamInfo(&info, session->jetstream, opts->stream, NULL, &js_error);
    jsStreamInfo_Destroy(info);

    if (status == NATS_OK)
        return EXIT_STATUS_OK;
    if (status == NATS_NOT_FOUND || js_error == JSStreamNotFoundErr) {
        fprintf(stderr,
                PROGRAM ": JetStream stream %s does not exist on %s; it is created by the "
                "Eventloom relay, start the relay first\n",
                opts->stream, opts->url);
    } else if (status == NATS_NO_RESPONDERS || js_error == JSNotEnabledErr) {
        fprintf(stderr, PROGRAM ": JetStream is not enabled on %s\n", opts->url);
    } else {
        char what[512];
        snprintf(what, sizeof what, "cannot look up JetStream stream %s", opts->stream);
        report_nats_error(what, status);
    }
    return EXIT_STATUS_RUNTIME;
}

/* Creates the durable pull consumer if it does not exist yet.
 *
 * js_PullSubscribe could create it too, but a consumer created by a
 * subscription is deleted when that subscription is drained or
 * unsubscribed, and the whole point of a durable is to remember the
 * acknowledged position across runs. Creating it explicitly makes it
 * outlive this process. */
static int ensure_durable_consumer(struct session *session, const struct options *opts)
{
    jsConsumerInfo *info = NULL;
    jsErrCode js_error = 0;
    natsStatus status = js_GetConsumerInfo(&info, session->jetstream, opts->stream, opts->durable, NULL, &js_error);

    if (status == NATS_OK) {
        /* Binding a durable to a different filter would silently change
         * what it delivers; say so instead. */
        const char *filter = info->Config && info->Config->FilterSubject ? info->Config->FilterSubject : "";
        bool same_filter = strcmp(filter, opts->subject) == 0;
        if (!same_filter)
            fprintf(stderr,
                    PROGRAM ": durable consumer %s already exists on stream %s with subject filter \"%s\", "
                    "not \"%s\"; use another --durable\n",
                    opts->durable, opts->stream, filter, opts->subject);
        jsConsumerInfo_Destroy(info);
        return same_filter ? EXIT_STATUS_OK : EXIT_STATUS_RUNTIME;
    }
    if (status != NATS_NOT_FOUND && js_error != JSConsumerNotFoundErr) {
        report_nats_error("cannot look up the durable consumer", status);
        return EXIT_STATUS_RUNTIME;
    }

    jsConsumerConfig config;
    jsConsumerConfig_Init(&config);
    config.Durable = opts->durable;
    config.DeliverPolicy = js_DeliverAll;
    config.AckPolicy = js_AckExplicit;
    config.FilterSubject = opts->subject;

    js_error = 0;
    status = js_AddConsumer(&info, session->jetstream, opts->stream, &config, NULL, &js_error);
    jsConsumerInfo_Destroy(info);
    if (status != NATS_OK) {
        char what[512];
        snprintf(what, sizeof what, "cannot create durable consumer %s on stream %s for %s (JetStream error %d)",
                 opts->durable, opts->stream, opts->subject, (int)js_error);
        report_nats_error(what, status);
        return EXIT_STATUS_RUNTIME;
    }
    return EXIT_STATUS_OK;
}

static int subscribe(struct session *session, const struct options *opts)
{
    jsSubOptions sub_options;
    jsSubOptions_Init(&sub_options);
    sub_options.Stream = opts->stream; /* bind to this stream, no lookup by subject */
    sub_options.Config.DeliverPolicy = js_DeliverAll;
    sub_options.Config.AckPolicy = js_AckExplicit;

    jsErrCode js_error = 0;
    natsStatus status = js_PullSubscribe(&session->subscription, session->jetstream, opts->subject, opts->durable,
                                         NULL, &sub_options, &js_error);
    if (status != NATS_OK) {
        char what[512];
        snprintf(what, sizeof what, "cannot bind durable pull consumer %s on stream %s for %s (JetStream error %d)",
                 opts->durable, opts->stream, opts->subject, (int)js_error);
        report_nats_error(what, status);
        return EXIT_STATUS_RUNTIME;
    }
    return EXIT_STATUS_OK;
}

static int open_session(struct session *session, const struct options *opts)
{
    int status = connect_to_server(session, opts);
    if (status == EXIT_STATUS_OK)
        status = require_stream(session, opts);
    if (status == EXIT_STATUS_OK)
        status = ensure_durable_consumer(session, opts);
    if (status == EXIT_STATUS_OK)
        status = subscribe(session, opts);
    return status;
}

/* Orderly shutdown. Acks are fire-and-forget publishes, so the connection
 * is flushed first: the server has every ack before we go, and a rerun
 * with the same durable starts exactly after the last printed event.
 * Draining the subscription then stops the pull consumer cleanly; the
 * durable itself survives (see ensure_durable_consumer). */
static void close_session(struct session *session)
{
    if (session->connection != NULL && !natsConnection_IsClosed(session->connection))
        natsConnection_FlushTimeout(session->connection, 5000);
    if (session->subscription != NULL) {
        if (natsSubscription_Drain(session->subscription) == NATS_OK)
            natsSubscription_WaitForDrainCompletion(session->subscription, 5000);
        natsSubscription_Destroy(session->subscription);
    }
    jsCtx_Destroy(session->jetstream);
    if (session->connection != NULL) {
        natsConnection_Close(session->connection);
        natsConnection_Destroy(session->connection);
    }
    natsOptions_Destroy(session->options);
    *session = (struct session){ 0 };
}

/* ------------------------------------------------------------------------ */
/* Fetch loop                                                               */
/* ------------------------------------------------------------------------ */

/* Fetch no more than --count still allows: messages fetched but not
 * processed would stay unacknowledged until their ack wait expires. */
static int next_batch_size(const struct options *opts, uint64_t handled)
{
    if (opts->count == 0)
        return opts->batch;
    uint64_t remaining = opts->count - handled;
    return remaining < (uint64_t)opts->batch ? (int)remaining : opts->batch;
}

/* Wait at most FETCH_WAIT_MS, and never past the idle deadline. */
static int64_t next_fetch_timeout(const struct options *opts, int64_t last_message_ms)
{
    if (opts->idle_exit_ms == 0)
        return FETCH_WAIT_MS;
    int64_t left = last_message_ms + opts->idle_exit_ms - monotonic_ms();
    if (left < 1)
        left = 1;
    return left < FETCH_WAIT_MS ? left : FETCH_WAIT_MS;
}

static bool idle_too_long(const struct options *opts, int64_t last_message_ms)
{
    return opts->idle_exit_ms > 0 && monotonic_ms() - last_message_ms >= opts->idle_exit_ms;
}

/* Consecutive failed fetches tolerated while the connection is up: a
 * server restart fails a few of them ("Server Shutdown", no responders)
 * before the client notices that it is disconnected. */
#define MAX_FETCH_FAILURES 10

/* A fetch from a deleted consumer fails once ("Consumer Deleted") and
 * then only times out, which would look like an idle stream for ever. */
static bool consumer_was_deleted(struct session *session, const struct options *opts)
{
    jsConsumerInfo *info = NULL;
    jsErrCode js_error = 0;
    natsStatus status = js_GetConsumerInfo(&info, session->jetstream, opts->stream, opts->durable, NULL, &js_error);
    jsConsumerInfo_Destroy(info);
    return status == NATS_NOT_FOUND || js_error == JSConsumerNotFoundErr;
}

/* Decides what a failed fetch means: true to retry, false to give up.
 * While the client is reconnecting it retries without limit: the server
 * is expected back and the durable consumer remembers our place. */
static bool should_retry_fetch(struct session *session, const struct options *opts, natsStatus status,
                               int *failures)
{
    natsConnStatus connection = natsConnection_Status(session->connection);
    if (connection == NATS_CONN_STATUS_CLOSED) {
        report_nats_error("fetch failed, connection closed", status);
        return false;
    }
    if (connection == NATS_CONN_STATUS_CONNECTED) {
        if (consumer_was_deleted(session, opts)) {
            fprintf(stderr, PROGRAM ": durable consumer %s was deleted from stream %s\n", opts->durable,
                    opts->stream);
            return false;
        }
        if (++*failures > MAX_FETCH_FAILURES) {
            report_nats_error("fetch keeps failing", status);
            return false;
        }
    }
    report_nats_error("fetch failed, retrying", status);
    return true;
}

/* Hands back the messages from `first` on. Without this they would stay
 * assigned to this (exiting) client until the ack wait expires (30 s by
 * default); a nak makes the next run see them again at once. */
static void give_back(natsMsgList *batch, int first)
{
    for (int i = first; i < batch->Count; i++) {
        if (batch->Msgs[i] != NULL)
            natsMsg_Nak(batch->Msgs[i], NULL);
    }
}

/* Handles every message of a batch in order; each is destroyed as soon as
 * it has been acknowledged. Stops at the first failure. */
static int handle_batch(natsMsgList *batch, FILE *out, uint64_t *handled)
{
    for (int i = 0; i < batch->Count; i++) {
        int status = handle_message(batch->Msgs[i], out);
        if (status != EXIT_STATUS_OK) {
            give_back(batch, i);
            return status;
        }
        natsMsg_Destroy(batch->Msgs[i]);
        batch->Msgs[i] = NULL; /* natsMsgList_Destroy skips NULL entries */
        *handled += 1;
    }
    return EXIT_STATUS_OK;
}

static int consume(struct session *session, const struct options *opts, FILE *out)
{
    uint64_t handled = 0;
    int failures = 0;
    int64_t last_message_ms = monotonic_ms();

    while (!stop_requested && (opts->count == 0 || handled < opts->count)) {
        natsMsgList batch = { 0 };
        jsErrCode js_error = 0;
        natsStatus status = natsSubscription_Fetch(&batch, session->subscription, next_batch_size(opts, handled),
                                                   next_fetch_timeout(opts, last_message_ms), &js_error);
        if (status == NATS_OK && batch.Count > 0) {
            int result = handle_batch(&batch, out, &handled);
            natsMsgList_Destroy(&batch);
            if (result != EXIT_STATUS_OK)
                return result;
            last_message_ms = monotonic_ms();
            failures = 0;
            continue;
        }
        natsMsgList_Destroy(&batch);

        if (status == NATS_OK || status == NATS_TIMEOUT) {
            failures = 0;
        } else if (should_retry_fetch(session, opts, status, &failures)) {
            sleep_ms(FETCH_WAIT_MS);
        } else {
            return EXIT_STATUS_RUNTIME;
        }
        if (idle_too_long(opts, last_message_ms))
            break;
    }
    return EXIT_STATUS_OK;
}

/* ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    struct options opts;
    int status = parse_options(argc, argv, &opts);
    if (status >= 0)
        return status;

    install_signal_handlers();

    struct session session = { 0 };
    status = open_session(&session, &opts);
    if (status == EXIT_STATUS_OK)
        status = consume(&session, &opts, stdout);
    close_session(&session);

    /* Wait for the library's threads so that nothing is left allocated at
     * exit (keeps valgrind and LeakSanitizer quiet). */
    nats_CloseAndWait(5000);
    return status;
}
