-- The member's language (issue 13): the roster's optional `language` column (en, es, fr). Their
-- code letter, e-mail and SMS are written in it, and the voting link opens the vote in it. Absent:
-- the vote's own language on paper, the browser's on the page.
alter table members add column language text check (language in ('en', 'es', 'fr'));
