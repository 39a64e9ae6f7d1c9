package contract

import (
	"time"

	"github.com/obieg/obieg/internal/domain/edelivery"
)

// MailboxPage is what ListMailbox found.
type MailboxPage struct {
	// New are the messages not taken yet, oldest first.
	New []edelivery.Summary `json:"new"`
	// Last is the submission time of the newest message listed, taken or not: the next
	// listing starts there. Zero when nothing was listed.
	Last time.Time `json:"last"`
	// Full is true when the page was full: more may follow at once.
	Full bool `json:"full"`
}

// ChannelEDoreczenia is the channel of submissions received in an e-Doręczenia mailbox.
const ChannelEDoreczenia = "edoreczenia"

// MessageContentType is the media type of a received e-Doręczenia message kept whole (the
// service's JSON answer for it), the submission's document when the letter carries no XML
// document of its own.
const MessageContentType = "application/json"

// ReasonMessageUnreadable quarantines a received e-Doręczenia message that is not what the
// service's contract describes.
const ReasonMessageUnreadable = "message-unreadable"
