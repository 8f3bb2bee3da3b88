-- The visit's fee_version (V4) a settlement was computed on, kept with it: a settlement left PENDING and finished by a
-- repeat of its msgid is finished only if the visit's bill has not changed since (else it is taken back at the insured
-- place and computed anew on the bill as it is). NULL for reversals and for settlements stored before this version.
ALTER TABLE settlement ADD COLUMN fee_version INTEGER;
