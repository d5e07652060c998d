/**
 * Server bytes in Dovecot 2.3's exact format (greeting, LOGIN and SELECT replies copied from a
 * session with the test server; the FETCH lines add hostile cases: literals holding quotes, CRLF
 * and "{N}" text, a zero-length literal, escapes), used by the tokenizer and parser tests.
 */
export const CAPTURED = Buffer.from(
  [
    '* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.\r\n',
    'A1 OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE SORT UNSELECT CHILDREN NAMESPACE UIDPLUS CONDSTORE QRESYNC ESEARCH MOVE LITERAL+ COMPRESS=DEFLATE] Logged in\r\n',
    '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n',
    '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\r\n',
    '* 3 EXISTS\r\n',
    '* 0 RECENT\r\n',
    '* OK [UNSEEN 1] First unseen.\r\n',
    '* OK [UIDVALIDITY 1795436978] UIDs valid\r\n',
    '* OK [UIDNEXT 4] Predicted next UID\r\n',
    '* OK [HIGHESTMODSEQ 7] Highest\r\n',
    'A2 OK [READ-WRITE] Select completed (0.002 + 0.000 secs).\r\n',
    '* 1 FETCH (UID 1 FLAGS (\\Flagged \\Recent) INTERNALDATE "03-Feb-2024 04:05:06 +0000" RFC822.SIZE 212 ENVELOPE ("Mon, 23 Nov 2026 12:00:00 +0000" "first" (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) ((NIL NIL "bob" "example.org")) NIL NIL NIL "<m-1@example.org>") BODYSTRUCTURE ("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 12 1 NIL NIL NIL NIL))\r\n',
    '* 2 FETCH (UID 2 ENVELOPE (NIL {29}\r\nGr\xc3\xbc\xc3\x9fe "quoted" {5} and \\ \r\n (("Carol \\"C\\" Example" NIL "carol" "example.org")) NIL NIL NIL NIL NIL NIL NIL) BODY[HEADER.FIELDS (SUBJECT)] {21}\r\nSubject: {9}\r\nabc\r\n\r\n MODSEQ (5))\r\n',
    '* 3 FETCH (UID 3 BODY[] {0}\r\n FLAGS ())\r\n',
    '* LIST (\\HasNoChildren \\Trash) "/" Trash\r\n',
    '* LIST (\\HasNoChildren) "/" {15}\r\nwith "quote" \\!\r\n',
    '* LIST (\\Noselect) NIL "&ZeVnLIqe-"\r\n',
    '* STATUS "INBOX" (MESSAGES 3 UIDNEXT 4 UNSEEN 1)\r\n',
    '* SEARCH 1 3 (MODSEQ 7)\r\n',
    '* ESEARCH (TAG "A9") UID MIN 1 MAX 3 COUNT 2 ALL 1,3\r\n',
    '* VANISHED (EARLIER) 41,43:116\r\n',
    '* 2 EXPUNGE\r\n',
    '* ENABLED CONDSTORE QRESYNC\r\n',
    '* ID ("name" "Dovecot" "version" NIL)\r\n',
    '* NAMESPACE (("" "/")) NIL (("#shared/" "/" "X-EXT" ("a" "b")))\r\n',
    '* OK [ALERT] Mailbox almost full\r\n',
    '+ idling\r\n',
    '+\r\n',
    'A3 NO [TRYCREATE] Mailbox doesn\'t exist\r\n',
    'A4 OK [APPENDUID 1795436978 7] Append completed.\r\n',
    'A5 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n',
    'A6 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n',
    '* XUNKNOWN whatever (it is)\r\n',
    '* BYE Logging out\r\n',
  ].join(''),
  'latin1',
);
