-- 021: keyword screening probes the phrases of the active keyword rules
-- by their first word (issue 10, performance): one index probe per word
-- of the text (api.mod_keyword_hits), whatever the number of rules and
-- phrase lengths, where the text's every n-gram was compared before.
CREATE INDEX mod_rule_terms_first_word_idx ON san.mod_rule_terms
    (split_part(phrase, ' ', 1));
