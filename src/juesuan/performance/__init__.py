"""预算绩效自评: indicator systems as data, scores with traces.

Modules: ``system`` (schema of a system file), ``system_loader`` (file:line findings),
``expr`` (safe Decimal formulas on simpleeval), ``inputs`` (where each input comes from),
``rules`` (the rule types), ``department`` / ``project`` (scoring), ``engine`` (a dataset's
whole self-evaluation: ``score_dataset``), ``checks`` (consistency findings), ``render``
(text/JSON for the CLI). The dataset's ``evaluation:`` block is
:mod:`juesuan.model.evaluation`; the 附表1/附表2 document tables are
:mod:`juesuan.compose.evaluation`.
"""
