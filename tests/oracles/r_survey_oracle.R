# Oracle fixtures for Lindung's survey engine, computed with R's survey package.
#
# Input: tests/oracles/synthetic_survey.csv, made by
#   lindung survey synth --households 600 --seed 11 --out synthetic_survey.csv
# with the column `pid` dropped and a column `stratum_lonely` added (= stratum, except 999 for
# the first PSU, which makes one stratum with a single PSU).
#
# Output (committed next to this script):
#   r_survey_estimators.csv  svymean / svytotal / svyratio / svyby under several designs
#   r_survey_indicators.csv  the social protection indicators of tests/oracles/synthetic_spec.yaml
#   r_survey_indicators_nested.csv  the same on the survey with household and PSU ids restarting
#     in every stratum (nest = TRUE; households identified within their stratum)
#   r_survey_indicators_na.csv  the same with welfare missing in every row of the smallest PSU
#     of each of the first four strata (subset(design, !is.na(welfare)): the PSUs stay counted)
#   r_survey_jackknife.csv  the Gini by R's own JK1 replicate weights (as.svrepdesign) on a
#     plain weighted Gini (mean absolute difference), for the design without strata
#
# Run from the repository root:  Rscript tests/oracles/r_survey_oracle.R
# (R survey 4.1.1 from Debian's r-cran-survey wrote the committed files.)

suppressPackageStartupMessages(library(survey))
options(digits = 17)
here <- "tests/oracles"
d <- read.csv(file.path(here, "synthetic_survey.csv"))
d$one <- 1

rows <- list()
add <- function(case, statistic, variable, by, level, estimate, se) {
  rows[[length(rows) + 1]] <<- data.frame(
    case = case, statistic = statistic, variable = variable, by = by,
    level = as.character(level), estimate = as.numeric(estimate), se = as.numeric(se)
  )
}

estimators <- function(case, design) {
  m <- svymean(~welfare_pc, design)
  add(case, "mean", "welfare_pc", "all", "all", coef(m), SE(m))
  t <- svytotal(~pkh_amt, design)
  add(case, "total", "pkh_amt", "all", "all", coef(t), SE(t))
  r <- svyratio(~pkh_amt, ~welfare_pc, design)
  add(case, "ratio", "pkh_amt/welfare_pc", "all", "all", coef(r), SE(r))
  b <- svyby(~welfare_pc, ~urban, design, svymean)
  add(case, "mean", "welfare_pc", "urban", b$urban, coef(b), SE(b))
  b <- svyby(~pkh_amt, ~sex, design, svytotal)
  add(case, "total", "pkh_amt", "sex", b$sex, coef(b), SE(b))
  b <- svyby(~pkh_amt, ~age_group, design, svyratio, denominator = ~welfare_pc)
  add(case, "ratio", "pkh_amt/welfare_pc", "age_group", b$age_group, coef(b), SE(b))
}

with_fpc <- svydesign(ids = ~psu, strata = ~stratum, weights = ~wt, fpc = ~fpc, nest = TRUE, data = d)
without_fpc <- svydesign(ids = ~psu, strata = ~stratum, weights = ~wt, nest = TRUE, data = d)
no_strata <- svydesign(ids = ~psu, weights = ~wt, data = d)
estimators("fpc", with_fpc)
estimators("no_fpc", without_fpc)
estimators("no_strata", no_strata)
for (mode in c("adjust", "remove", "certainty")) {
  options(survey.lonely.psu = mode)
  lonely <- svydesign(ids = ~psu, strata = ~stratum_lonely, weights = ~wt, fpc = ~fpc,
                      nest = TRUE, data = d)
  estimators(paste0("lonely_", mode), lonely)
}
options(survey.lonely.psu = "adjust")
write.csv(do.call(rbind, rows), file.path(here, "r_survey_estimators.csv"), row.names = FALSE)

# ---- Indicators --------------------------------------------------------------------------
# The spec (synthetic_spec.yaml): programs pkh (household level, social assistance),
# social_pension (person level, social assistance), pension (person level, social insurance);
# lines national = 5,400,000 and p20 = weighted 20th percentile of pre-transfer welfare of all
# social protection; domains urban; design with strata, PSUs and fpc.
# `d` holds the rows to estimate from, `d$hh_key` identifies households, `design` is the design
# (its variables the rows of `d`).
indicator_rows <- function(d, design) {
rows <- list()
size <- ave(d$one, d$hh_key, FUN = sum)
household_program <- function(amount, level) {
  received <- ave(as.numeric(amount > 0), d$hh_key, FUN = max)
  total <- if (level == "household") ave(amount, d$hh_key, FUN = max) else ave(amount, d$hh_key, FUN = sum)
  list(B = received, T = received * total / size)
}
programs <- list(
  pkh = household_program(d$pkh_amt, "household"),
  social_pension = household_program(d$spens_amt, "person"),
  pension = household_program(d$pens_amt, "person")
)
area <- function(codes) {
  list(B = do.call(pmax, lapply(codes, function(c) programs[[c]]$B)),
       T = Reduce(`+`, lapply(codes, function(c) programs[[c]]$T)))
}
units <- c(programs, list(
  all_social_assistance = area(c("pkh", "social_pension")),
  all_social_insurance = area(c("pension")),
  all_social_protection = area(c("pkh", "social_pension", "pension"))
))
y <- d$welfare_pc
w <- d$wt
pre <- lapply(units, function(u) pmax(0, y - u$T))

cut_point <- function(v, share) {
  values <- sort(unique(v))
  weights <- tapply(w, factor(v, levels = values), sum)
  cumulative <- cumsum(weights)
  min(values[cumulative >= share * sum(w) * (1 - 1e-12)])
}
quintile <- function(v) {
  cuts <- sapply(c(0.2, 0.4, 0.6, 0.8), function(q) cut_point(v, q))
  1 + rowSums(sapply(cuts, function(c) v > c))
}
d$quintile_pre <- quintile(pre$all_social_protection)
d$quintile_post <- quintile(y)
design$variables$quintile_pre <- d$quintile_pre
design$variables$quintile_post <- d$quintile_post
lines <- c(national = 5400000, p20 = cut_point(pre$all_social_protection, 0.2))

breakdowns <- c("all", "quintile_pre", "quintile_post", "urban")

# The ratio of totals num/den per level of `by`, over the full design (svyby / svyratio).
ratio_rows <- function(indicator, program, line, num, den) {
  design$variables$num_ <- num
  design$variables$den_ <- den
  for (by in breakdowns) {
    if (by == "all") {
      r <- svyratio(~num_, ~den_, design)
      add_indicator(indicator, program, line, by, "all", coef(r), SE(r))
    } else {
      b <- svyby(~num_, as.formula(paste0("~", by)), design, svyratio, denominator = ~den_)
      add_indicator(indicator, program, line, by, b[[by]], coef(b), SE(b))
    }
  }
}
add_indicator <- function(indicator, program, line, by, level, estimate, se) {
  rows[[length(rows) + 1]] <<- data.frame(
    indicator = indicator, program = program, poverty_line = line, by = by,
    level = as.character(level), estimate = as.numeric(estimate), se = as.numeric(se)
  )
}

for (name in names(units)) {
  u <- units[[name]]
  ratio_rows("coverage", name, "", u$B, d$one)
  ratio_rows("adequacy", name, "", u$T, y * u$B)
  for (q in c("quintile_pre", "quintile_post")) {
    for (k in 1:5) {
      in_q <- as.numeric(d[[q]] == k)
      design$variables$num_ <- u$B * in_q
      design$variables$den_ <- u$B
      r <- svyratio(~num_, ~den_, design)
      add_indicator("beneficiary_incidence", name, "", q, k, coef(r), SE(r))
      design$variables$num_ <- u$T * in_q
      design$variables$den_ <- u$T
      r <- svyratio(~num_, ~den_, design)
      add_indicator("benefit_incidence", name, "", q, k, coef(r), SE(r))
    }
  }
}
for (line in names(lines)) {
  z <- lines[[line]]
  poor <- as.numeric(y < z)
  fgt1 <- pmax(0, (z - y) / z)
  gap <- pmax(0, z - y)
  ratio_rows("poverty_headcount", "", line, poor, d$one)
  ratio_rows("poverty_gap", "", line, fgt1, d$one)
  for (name in names(units)) {
    v <- pre[[name]]
    poor_pre <- as.numeric(v < z)
    fgt1_pre <- pmax(0, (z - v) / z)
    gap_pre <- pmax(0, z - v)
    ratio_rows("poverty_headcount_reduction", name, line, poor_pre - poor, poor_pre)
    ratio_rows("poverty_gap_reduction", name, line, fgt1_pre - fgt1, fgt1_pre)
    ratio_rows("benefit_cost_ratio", name, line, gap_pre - gap, units[[name]]$T)
  }
}

# Gini by the trapezoid Lorenz formula; its influence function after Langel & Tille (2013);
# the SE is svytotal's (that is, svyrecvar's) on that influence function.
gini_parts <- function(v, inside) {
  z <- numeric(length(v))
  o <- order(v[inside])
  ys <- v[inside][o]
  ws <- w[inside][o]
  N <- sum(ws)
  Y <- sum(ws * ys)
  W <- cumsum(ws) / N
  L <- cumsum(ws * ys) / Y
  trapezoid <- 1 - sum((W - c(0, head(W, -1))) * (L + c(0, head(L, -1))))
  D <- cumsum(ws) * ys - cumsum(ws * ys)
  g <- sum(ws * D) / (N * Y)
  stopifnot(abs(g - trapezoid) < 1e-12)
  influence <- (2 * D + Y - N * ys - g * (Y + N * ys)) / (N * Y)
  z[which(inside)[o]] <- influence
  list(gini = trapezoid, z = z)
}
se_of <- function(z) {
  design$variables$z_ <- z
  SE(svytotal(~z_, design))
}
for (by in breakdowns) {
  levels <- if (by == "all") "all" else sort(unique(d[[by]]))
  for (level in levels) {
    inside <- if (by == "all") rep(TRUE, nrow(d)) else d[[by]] == level
    post <- gini_parts(y, inside)
    add_indicator("gini", "", "", by, level, post$gini, se_of(post$z))
    for (name in names(units)) {
      before <- gini_parts(pre[[name]], inside)
      z <- (post$gini * before$z - before$gini * post$z) / before$gini^2
      add_indicator("gini_reduction", name, "", by, level,
                    (before$gini - post$gini) / before$gini, se_of(z))
    }
  }
}
do.call(rbind, rows)
}

design_of <- function(d) {
  svydesign(ids = ~psu, strata = ~stratum, weights = ~wt, fpc = ~fpc, nest = TRUE, data = d)
}
d$hh_key <- d$hhid
write.csv(indicator_rows(d, design_of(d)), file.path(here, "r_survey_indicators.csv"),
          row.names = FALSE)

# Ids that restart in every stratum: PSUs and households numbered from 1 within their stratum,
# in the order of their old ids.
renumber <- function(id, stratum) {
  ave(id, stratum, FUN = function(v) match(v, sort(unique(v))))
}
nested <- d
nested$psu <- renumber(d$psu, d$stratum)
nested$hhid <- renumber(d$hhid, d$stratum)
nested$hh_key <- interaction(nested$stratum, nested$hhid, drop = TRUE)
write.csv(indicator_rows(nested, design_of(nested)),
          file.path(here, "r_survey_indicators_nested.csv"), row.names = FALSE)

# Welfare missing in the smallest PSU of each of the first four strata: na.rm = TRUE, that is
# subset(), keeps each stratum's number of PSUs.
gone <- sapply(sort(unique(d$stratum))[1:4], function(h) min(d$psu[d$stratum == h]))
missing <- d
missing$welfare_pc[missing$psu %in% gone] <- NA
kept <- !is.na(missing$welfare_pc)
write.csv(indicator_rows(missing[kept, ], subset(design_of(missing), kept)),
          file.path(here, "r_survey_indicators_na.csv"), row.names = FALSE)

# ---- The Gini by replicate weights -------------------------------------------------------
# Shares nothing with the engine: R's JK1 replicate weights, and the Gini as the weighted mean
# absolute difference sum_ij w_i w_j |y_i - y_j| / (2 N Y), no sorting, no influence function.
plain_gini <- function(y, w) {
  sum(outer(w, w) * abs(outer(y, y, "-"))) / (2 * sum(w) * sum(w * y))
}
jackknife <- as.svrepdesign(svydesign(ids = ~psu, weights = ~wt, data = d), type = "JK1")
rows <- list()
for (level in c("all", "0", "1")) {
  inside <- if (level == "all") rep(TRUE, nrow(d)) else d$urban == as.numeric(level)
  g <- withReplicates(jackknife, function(w, data) plain_gini(data$welfare_pc[inside], w[inside]))
  rows[[length(rows) + 1]] <- data.frame(
    by = if (level == "all") "all" else "urban", level = level,
    estimate = as.numeric(coef(g)), se = as.numeric(SE(g)), replicates = ncol(jackknife$repweights)
  )
}
write.csv(do.call(rbind, rows), file.path(here, "r_survey_jackknife.csv"), row.names = FALSE)
cat("wrote the oracle files in", here, "\n")
