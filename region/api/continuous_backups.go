package api

import "context"

// describeContinuousBackups serves DescribeContinuousBackups, which
// infrastructure tools (Terraform's aws_dynamodb_table, for one) call on
// every table they read. Concord has neither on-demand backups nor
// point-in-time recovery, and says so: both statuses are DISABLED.
// UpdateContinuousBackups is not served, so turning recovery on fails
// instead of pretending.
func describeContinuousBackups(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req tableNameRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	if _, err := s.lookupTable(req.TableName); err != nil {
		// The backup operations say TableNotFoundException instead.
		if ae, ok := err.(*Error); ok && ae.Type == typeResourceNotFound {
			return nil, errBackupTableNotFound(*req.TableName)
		}
		return nil, err
	}
	return []byte(`{"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"DISABLED",` +
		`"PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"DISABLED"}}}`), nil
}
