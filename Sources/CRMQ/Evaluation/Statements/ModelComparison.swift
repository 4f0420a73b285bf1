#if canImport(Glibc)
import Glibc
#endif

/// `models`: each purchase model of `ModelCatalog` fitted on the snapshot and compared as a
/// paper's model table does (Fader, Hardie & Lee 2005, table 1; Batislam et al. 2007, table 3):
/// fit by AIC = 2k − 2 ln L and BIC = k ln n − 2 ln L (k parameters, n customers), and, with
/// a holdout, the error of each customer's predicted repeat purchase days. With covariates
/// set, the model in use with them is one more row: what the covariates buy, in the same terms.
struct ModelComparison {
    let scope: CustomerScope

    func result() throws(Diagnostic) -> StatementResult {
        let snapshot = scope.snapshot
        let histories = scope.models.histories(snapshot)
        let n = Double(histories.modelled)
        let holdout = Validation(scope: scope).holdout()
        let customers = (0..<snapshot.customers.count).filter { histories.rowOfCustomer[$0] >= 0 }
        var names: [String] = [], logLikelihood: [Double] = [], aic: [Double] = [], bic: [Double] = []
        // Every model's parameters as columns of their own (r and α are shared), empty where a model has none of that name.
        let parameterNames = ModelCatalog.purchaseModels.filter { $0.time == (snapshot.countsPeriods ? .periods : .weeks) }.flatMap { $0.parameterNames }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var parameters = [[Double]](repeating: [], count: parameterNames.count)
        var mae: [Double] = [], predicted: [Double] = [], failures: [Prose] = []
        // The models for what the snapshot counts: weeks, or opportunities (BG/BB).
        let time: ModelTime = snapshot.countsPeriods ? .periods : .weeks
        for type in ModelCatalog.purchaseModels where type.time == time {
            names.append(type.title)
            do {
                let (model, fit) = try scope.models.purchase(type, snapshot)
                let k = Double(fit.values.count)
                for (k, name) in parameterNames.enumerated() { parameters[k].append(fit.names.firstIndex(of: name).map { fit.values[$0] } ?? .nan) }
                logLikelihood.append(fit.logLikelihood)
                aic.append(2 * k - 2 * fit.logLikelihood)
                bic.append(k * log(n) - 2 * fit.logLikelihood)
                if let holdout {
                    // Each distinct history's prediction at the holdout's end, then each customer's error.
                    let perRow = parallelChunks(histories.x.count) { range in
                        range.map { i in model.expectedPurchases(at: [holdout.weeks], x: histories.x[i], tx: histories.tx[i], T: histories.T[i])[0] }
                    }
                    let each = customers.map { perRow[Int(histories.rowOfCustomer[$0])] }
                    mae.append(zip(customers, each).reduce(0.0) { $0 + abs($1.1 - holdout.actual[$1.0]) } / Double(max(1, customers.count)))
                    predicted.append(each.reduce(0, +))
                }
            } catch {
                failures.append("\(error.message)")
                for k in parameters.indices { parameters[k].append(.nan) }
                logLikelihood.append(.nan)
                aic.append(.nan)
                bic.append(.nan)
                if holdout != nil {
                    mae.append(.nan)
                    predicted.append(.nan)
                }
            }
        }
        if !scope.settings.covariates.isEmpty {
            // The model in use with its covariates: each pattern's customers by their own model.
            let (design, models, _, fit) = try scope.models.patternModels(snapshot, scope.settings)
            names.append("\(fit.model): \(design.names.joined(separator: ", "))")
            for (k, name) in parameterNames.enumerated() { parameters[k].append(fit.names.firstIndex(of: name).map { fit.values[$0] } ?? .nan) }
            let k = Double(fit.values.count)
            logLikelihood.append(fit.logLikelihood)
            aic.append(2 * k - 2 * fit.logLikelihood)
            bic.append(k * log(n) - 2 * fit.logLikelihood)
            if let holdout {
                let pooled = design.pooled
                let perRow = design.histories.indices.flatMap { j in
                    design.histories[j].x.indices.map { i in
                        models[j].expectedPurchases(at: [holdout.weeks], x: design.histories[j].x[i], tx: design.histories[j].tx[i], T: design.histories[j].T[i])[0]
                    }
                }
                let each = customers.map { perRow[Int(pooled.rowOfCustomer[$0])] }
                mae.append(zip(customers, each).reduce(0.0) { $0 + abs($1.1 - holdout.actual[$1.0]) } / Double(max(1, customers.count)))
                predicted.append(each.reduce(0, +))
            }
        }
        var columns = [
            ResultColumn("model", .text(TextColumn(names))),
        ] + zip(parameterNames, parameters).map { ResultColumn($0, unit: .estimate, .number($1)) } + [
            ResultColumn("log_likelihood", unit: .money, .number(logLikelihood)),
            ResultColumn("aic", unit: .money, .number(aic)),
            ResultColumn("bic", unit: .money, .number(bic)),
        ]
        var notes: [Prose] = ["AIC = 2k − 2 ln L, BIC = k ln n − 2 ln L: k parameters, n = \(count: Int(n)) customers; lower is better"]
        if let best = bic.indices.filter({ bic[$0].isFinite }).min(by: { bic[$0] < bic[$1] }) {
            notes.append("lowest BIC: \(names[best])")
        }
        if let holdout {
            let actual = customers.reduce(0.0) { $0 + holdout.actual[$1] }
            columns += [
                ResultColumn("holdout_mae", unit: .plain, .number(mae)),
                ResultColumn("holdout_predicted", unit: .plain, .number(predicted)),
                ResultColumn("holdout_actual", unit: .count, .number(names.map { _ in actual })),
                ResultColumn("predicted_over_actual", unit: .ratio, .number(predicted.map { actual > 0 ? $0 / actual : .nan })),
            ]
            notes.append("holdout \(CalendarDay.format(snapshot.info.asOf)) to \(CalendarDay.format(holdout.end)) (\(exact: (holdout.weeks * 100).rounded() / 100) weeks): "
                + "repeat purchase days per customer, mean absolute error over the \(count: customers.count, "customer") who bought by as_of")
            if let best = mae.indices.filter({ mae[$0].isFinite }).min(by: { mae[$0] < mae[$1] }) {
                notes.append("lowest holdout error: \(names[best])")
            }
        } else {
            notes.append("no holdout: load the snapshot as of an earlier day to compare predictions with what happened")
        }
        return StatementResult([.table(ResultTable(title: "purchase models on \(snapshot.name)", columns: columns, notes: notes + failures))])
    }
}
