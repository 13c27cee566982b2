-- The time zone a person reads dates in (an IANA name such as
-- Europe/Paris); none: their tenant's plan's.
ALTER TABLE app_user ADD COLUMN timezone TEXT;
