-- Sendings through ePUAP's doręczyciel: a case forwarded to the competent public body
-- (art. 65 § 1 / art. 231 KPA) sends the submission as received, which is not a document the
-- office produced, so a sending names either a document or a submission. message_id is the
-- id ePUAP gave the delivered document (the UPD names it), task_id the delivery order's;
-- the UPD, once it arrives in the office's box, is kept as the sending's proof (proof_*,
-- migration 00015).

-- +goose Up
ALTER TABLE deliveries DROP CONSTRAINT deliveries_channel_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_channel_check CHECK (channel IN ('edoreczenia', 'epuap'));
ALTER TABLE deliveries ALTER COLUMN document_id DROP NOT NULL;
ALTER TABLE deliveries ADD COLUMN submission_id uuid REFERENCES submissions (id);
ALTER TABLE deliveries ADD CONSTRAINT deliveries_what_check CHECK (document_id IS NOT NULL OR submission_id IS NOT NULL);

-- +goose Down
DELETE FROM deliveries WHERE channel = 'epuap';
ALTER TABLE deliveries DROP CONSTRAINT deliveries_what_check;
ALTER TABLE deliveries DROP COLUMN submission_id;
ALTER TABLE deliveries ALTER COLUMN document_id SET NOT NULL;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_channel_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_channel_check CHECK (channel IN ('edoreczenia'));
