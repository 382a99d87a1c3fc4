-- 021: keyword screening reads the phrases of the active keyword rules
-- by their first word (issue 10, performance): one index scan for the words
-- of a text (api.mod_keyword_hits), whatever the number of rules and
-- phrase lengths, where the text's every n-gram was compared before.
CREATE INDEX mod_rule_terms_first_word_idx ON san.mod_rule_terms
    (split_part(phrase, ' ', 1));
