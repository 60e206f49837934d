-- The name an organization chooses to show on its shares' public pages and link previews.
ALTER TABLE "Organization" ADD COLUMN "publicName" TEXT;
